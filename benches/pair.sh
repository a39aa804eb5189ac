#!/usr/bin/env bash
# Benchmark: `ucert pair` on N CSRs + N certificates (default 10,000 each), against what people do instead, timed
# by hyperfine in one run: a loop of the openssl modulus pipeline over the same files, and a Python script using
# the `cryptography` package. Also records ucert's peak memory (GNU time).
#   benches/pair.sh [N]      (needs hyperfine and python3 with cryptography; the set is generated once)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
dir=target/bench-pair/$n
command -v hyperfine >/dev/null || { echo "benches/pair.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install -q cryptography
python3 benches/gen_pairs.py "$n" "$dir"
cargo build --profile dist --quiet
echo "== files: $(find "$dir/csrs" -type f | wc -l) CSRs, $(find "$dir/certs" -type f | wc -l) certificates; $(nproc) cores"
echo "== ucert pair, peak memory (GNU time, max RSS in KiB):"
/usr/bin/time -f "%e s wall, %M KiB max RSS" target/dist/ucert pair --at 2026-06-01T00:00:00Z "$dir/csrs" "$dir/certs" | tail -1
echo "== the Python script finds:"
python3 benches/pair_cryptography.py "$dir/csrs" "$dir/certs"
hyperfine --warmup 1 --runs 5 --export-markdown "target/bench-pair-$n.md" \
  -n "ucert pair" "target/dist/ucert pair --at 2026-06-01T00:00:00Z $dir/csrs $dir/certs" \
  -n "python cryptography" "python3 benches/pair_cryptography.py $dir/csrs $dir/certs"
hyperfine --runs 1 --export-markdown "target/bench-pair-$n-openssl.md" \
  -n "openssl loop" "sh benches/openssl-loop.sh $dir"
