#!/usr/bin/env python3
"""What a scripting admin writes instead of `ucert pair`: load every CSR and certificate with the `cryptography`
package and pair them by RSA modulus. Prints the number of pairs.

    python3 benches/pair_cryptography.py DIR...
"""
import os
import sys

from cryptography import x509


def files(paths):
    for p in paths:
        for root, _, names in os.walk(p):
            for n in names:
                yield os.path.join(root, n)


def main():
    csrs, certs = {}, {}
    for path in files(sys.argv[1:]):
        data = open(path, "rb").read()
        try:
            if b"CERTIFICATE REQUEST" in data:
                key = x509.load_pem_x509_csr(data).public_key().public_numbers()
                csrs[(key.n, key.e)] = path
            elif b"CERTIFICATE" in data:
                key = x509.load_pem_x509_certificate(data).public_key().public_numbers()
                certs[(key.n, key.e)] = path
        except ValueError:
            pass
    pairs = sum(1 for k in csrs if k in certs)
    print(f"{pairs} pairs, {len(csrs) - pairs} CSRs without certificate, {len(certs) - pairs} certificates without CSR")


if __name__ == "__main__":
    main()
