#!/usr/bin/env python3
"""Certificate sets for benches/chain.sh and the chain fuzz seeds: `linear N` (one chain of N certificates, root
first, in one PEM file), `mesh N` (N self-signed CA certificates that share one CN, each with its own key
identifier), `mesh-noid N` (the same without key identifiers, so every one could have issued every other by name).
Keys come from a small pool (a fresh 2048-bit key per certificate is what makes such sets slow to build); key
identifiers are unique per certificate, so issuers are still told apart.

    python3 benches/gen_chains.py linear 1000 > linear-1000.pem
"""
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

POOL = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(8)]
START = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2035, 1, 1, tzinfo=datetime.timezone.utc)


def name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bench"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def ski(i: int) -> bytes:
    return i.to_bytes(20, "big")


def ca(subject, issuer, key_index, signer_index, serial, own_id=None, issuer_id=None):
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(POOL[key_index].public_key())
        .serial_number(serial)
        .not_valid_before(START)
        .not_valid_after(END)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
    )
    if own_id is not None:
        b = b.add_extension(x509.SubjectKeyIdentifier(own_id), critical=False)
    if issuer_id is not None:
        b = b.add_extension(
            x509.AuthorityKeyIdentifier(key_identifier=issuer_id, authority_cert_issuer=None, authority_cert_serial_number=None),
            critical=False,
        )
    return b.sign(POOL[signer_index], hashes.SHA256())


def main() -> None:
    kind, n = sys.argv[1], int(sys.argv[2])
    out = sys.stdout.buffer
    for i in range(n):
        if kind == "linear":
            key, signer = i % len(POOL), (i - 1) % len(POOL) if i else 0
            issuer = name(f"Bench CA {i - 1}") if i else name("Bench CA 0")
            cert = ca(name(f"Bench CA {i}"), issuer, key, signer, i + 1, ski(i + 1), ski(i) if i else ski(1))
        elif kind == "mesh":
            k = i % len(POOL)
            cert = ca(name("Bench Same CN CA"), name("Bench Same CN CA"), k, k, i + 1, ski(i + 1), ski(i + 1))
        elif kind == "mesh-noid":
            k = i % len(POOL)
            cert = ca(name("Bench Same CN CA"), name("Bench Same CN CA"), k, k, i + 1)
        else:
            sys.exit(f"unknown kind {kind}: linear, mesh or mesh-noid")
        out.write(cert.public_bytes(serialization.Encoding.PEM))


if __name__ == "__main__":
    main()
