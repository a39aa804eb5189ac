#!/usr/bin/env python3
"""Generate N CSRs and their N CA-signed certificates for the `pair` benchmark (2048-bit RSA, as CUCM makes them).

    python3 benches/gen_pairs.py N OUTDIR

OUTDIR/csrs/<node>.csr and OUTDIR/certs/certnew (<k>).cer, the certificates under meaningless, shuffled names as a
CA returns them. Generating thousands of 2048-bit keys one by one is slow, so the keys are built from a pool of
1024-bit primes (taken from a few freshly generated keys): the key of pair k is p_i * q_j for the k-th pair of
primes (i < j), every modulus distinct, each a real 2048-bit RSA key. The signing runs in parallel with the
`cryptography` package; OUTDIR/complete marks a finished set, so benches/pair.sh generates only once (20,000 pairs
take about a minute on 2 cores).
"""
import datetime
import os
import random
import sys
from multiprocessing import Pool

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2028, 1, 1, tzinfo=datetime.timezone.utc)
CA = {}


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "AU"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "UC"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def init(ca_key_pem, ca_cert_pem, primes):
    CA["key"] = serialization.load_pem_private_key(ca_key_pem, None)
    CA["cert"] = x509.load_pem_x509_certificate(ca_cert_pem)
    CA["primes"] = primes


def key_from(p, q, e=65537):
    """The RSA private key with primes p and q."""
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q),
                                    rsa.RSAPublicNumbers(e, p * q))
    return numbers.private_key()


def prime_pairs(count):
    """The first `count` pairs (i, j), i < j, in an order that uses few primes: (0,1), (0,2), (1,2), (0,3), ..."""
    j = 1
    while True:
        for i in range(j):
            yield i, j
            count -= 1
            if count == 0:
                return
        j += 1


def make(job):
    i, out, cert_name, (a, b) = job
    primes = CA["primes"]
    key = key_from(primes[a], primes[b])
    host = f"node-{i:05d}.example.com"
    san = x509.SubjectAlternativeName([x509.DNSName(host)])
    eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH])
    csr = (x509.CertificateSigningRequestBuilder().subject_name(name(host))
           .add_extension(san, critical=False).add_extension(eku, critical=False)
           .sign(key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(csr.subject).issuer_name(CA["cert"].subject)
            .public_key(csr.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(START).not_valid_after(END)
            .add_extension(san, critical=False).add_extension(eku, critical=False)
            .sign(CA["key"], hashes.SHA256()))
    with open(os.path.join(out, "csrs", f"node-{i:05d}_tomcat.csr"), "wb") as f:
        f.write(csr.public_bytes(serialization.Encoding.PEM))
    with open(os.path.join(out, "certs", cert_name), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM).replace(b"\n", b"\r\n"))


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    if os.path.exists(os.path.join(out, "complete")):
        return
    for d in ("csrs", "certs"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = (x509.CertificateBuilder().subject_name(name("Bench CA")).issuer_name(name("Bench CA"))
               .public_key(ca_key.public_key()).serial_number(1).not_valid_before(START).not_valid_after(END)
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .sign(ca_key, hashes.SHA256()))
    ca_key_pem = ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())
    ca_cert_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    pairs = list(prime_pairs(n))
    needed = max(b for _, b in pairs) + 1
    primes = []
    while len(primes) < needed:
        numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_numbers()
        # two primes of one key may be paired again only with each other's partner: keep both, they are distinct
        primes += [numbers.p, numbers.q]
    order = list(range(n))
    random.Random(42).shuffle(order)
    jobs = [(i, out, f"certnew ({order[i] + 1}).cer", pairs[i]) for i in range(n)]
    with Pool(os.cpu_count(), initializer=init, initargs=(ca_key_pem, ca_cert_pem, primes)) as pool:
        for done, _ in enumerate(pool.imap_unordered(make, jobs, chunksize=50), 1):
            if done % 1000 == 0:
                print(f"{done}/{n}", file=sys.stderr)
    open(os.path.join(out, "complete"), "w").close()


if __name__ == "__main__":
    main()
