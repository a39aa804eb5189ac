#!/usr/bin/env python3
"""Run `ucert inspect` over every file under x509/ of the PyPI package cryptography_vectors (a real-world corpus
that includes NIST PKITS and deliberately malformed files) and check two things:

  1. ucert never crashes, hangs or misbehaves: exit code 0, 1 (read, and a certificate is expired or inside
     --critical-days: PKITS's are from 2010) or 2, no "internal error", a refused file gets exactly one stderr line
     `ucert: <path>: ...`, done within the time limit;
  2. ucert reads every file that `openssl x509` or `openssl req` can read (PEM or DER): the certificate or CSR
     openssl reads (same SHA-256 fingerprint) is among the objects ucert reports.

Usage:  python3 scripts/sweep_vectors.py [--binary target/release/ucert] [--vectors DIR]
The wheel is downloaded once with pip into target/vectors/ (needs network the first time).
Exit 0 when both hold for every file, 1 otherwise (the offending files are listed).
"""
import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 10


def fetch_vectors(dest):
    x509 = os.path.join(dest, "cryptography_vectors", "x509")
    if os.path.isdir(x509):
        return x509
    os.makedirs(dest, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dest, "cryptography_vectors"],
                   check=True)
    wheel = sorted(glob.glob(os.path.join(dest, "cryptography_vectors-*.whl")))[-1]
    with zipfile.ZipFile(wheel) as z:
        z.extractall(dest, [n for n in z.namelist() if n.startswith("cryptography_vectors/x509/")])
    return x509


def openssl_reads(path):
    """The SHA-256 fingerprint (AA:BB:.. form) of what openssl x509/req reads from the file, and how; or None."""
    for tool in ("x509", "req"):
        for form in ("PEM", "DER"):
            r = subprocess.run(["openssl", tool, "-inform", form, "-in", path, "-outform", "DER"],
                               capture_output=True)
            if r.returncode == 0 and r.stdout:
                digest = hashlib.sha256(r.stdout).hexdigest().upper()
                return ":".join(digest[i:i + 2] for i in range(0, 64, 2)), f"{tool}/{form}"
    return None


def fingerprints(report):
    """Every certificate and CSR SHA-256 fingerprint in a `ucert inspect --json` report."""
    found = set()
    for f in report.get("files", []):
        for o in f["objects"]:
            if o["kind"] == "certificate":
                found.add(o["certificate"]["fingerprints"]["sha256"])
            elif o["kind"] == "csr":
                found.add(o["csr"]["fingerprints"]["sha256"])
            elif o["kind"] == "pkcs7":
                found.update(c["fingerprints"]["sha256"] for c in o["certificates"])
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "ucert"))
    ap.add_argument("--vectors", default=os.path.join(ROOT, "target", "vectors"))
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    x509 = fetch_vectors(args.vectors)
    files = sorted(p for p in glob.glob(os.path.join(x509, "**", "*"), recursive=True) if os.path.isfile(p))
    stats = {"files": len(files), "read": 0, "refused": 0, "openssl_reads": 0}
    crashes, misses = [], []
    env = dict(os.environ, NO_COLOR="1")
    for path in files:
        rel = os.path.relpath(path, x509)
        try:
            r = subprocess.run([args.binary, "inspect", "--json", "--at", "2026-06-01T00:00:00Z", path],
                               capture_output=True, timeout=TIMEOUT, env=env)
        except subprocess.TimeoutExpired:
            crashes.append((rel, f"no answer within {TIMEOUT} s"))
            continue
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode not in (0, 1, 2) or "internal error" in err or "panicked" in err:
            crashes.append((rel, f"exit {r.returncode}: {err.strip()[:300]}"))
            continue
        if r.returncode in (0, 1):
            stats["read"] += 1
        else:
            stats["refused"] += 1
            if len(err.splitlines()) != 1 or not err.startswith("ucert: "):
                crashes.append((rel, f"diagnostic is not one 'ucert: <path>: ...' line: {err[:300]!r}"))
        try:
            report = json.loads(r.stdout)
        except ValueError:
            crashes.append((rel, "stdout is not JSON"))
            continue
        theirs = openssl_reads(path)
        if theirs:
            stats["openssl_reads"] += 1
            fingerprint, via = theirs
            if fingerprint not in fingerprints(report):
                misses.append((rel, f"openssl {via} reads it, ucert does not find it: {err.strip()[:300]}"))
    print(f"files: {stats['files']}  read: {stats['read']}  refused (exit 2): {stats['refused']}  "
          f"readable by openssl x509/req: {stats['openssl_reads']}")
    print(f"crashes, hangs or malformed diagnostics: {len(crashes)}")
    for rel, why in crashes:
        print(f"  CRASH {rel}: {why}")
    print(f"files openssl reads but ucert does not: {len(misses)}")
    for rel, why in misses:
        print(f"  MISS  {rel}: {why}")
    return 1 if crashes or misses else 0


if __name__ == "__main__":
    sys.exit(main())
