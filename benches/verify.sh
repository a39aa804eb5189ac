#!/usr/bin/env bash
# Benchmark: the CSR self-signature check, the one RSA operation `pair` does per CSR and the largest single cost
# of its floor, with each RSA library a Rust program could use, on the same N CSRs (default 20,000, the set of
# benches/pair.sh), one thread: ring as ucert calls it, aws-lc-rs, graviola, RustCrypto's rsa (benches/verify, a
# crate of its own so that none of them becomes ucert's dependency). Then `openssl speed rsa2048` for reference:
# openssl times one key over and over, with its Montgomery set-up done once, which a batch of distinct keys cannot do.
#   benches/verify.sh [N]       (needs python3 with cryptography, to generate the set once)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
dir=target/bench-pair/$n
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install -q cryptography
python3 benches/gen_pairs.py "$n" "$dir"
CARGO_TARGET_DIR=target/verify-bench cargo build --quiet --release --manifest-path benches/verify/Cargo.toml
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
target/verify-bench/release/ucert-verify-bench "$dir/csrs"
echo "-- openssl speed rsa2048 (one key, set-up cached): verifications per second"
openssl speed -seconds 3 rsa2048 2>/dev/null | grep -E '^ *(sign|rsa)'
