#!/usr/bin/env bash
# Benchmark: `ucert pair` on N CSRs + N certificates, for each N given (default 1,000, 5,000 and 20,000), against
# what people do instead, timed by hyperfine in one run per N: a Python script using the `cryptography` package
# (pairing by modulus only, no checks), the floor under ucert (examples/pair_floor.rs: each file read and decoded
# once by ucert's reader, each CSR's self-signature verified; no pairing, checks, second read or report), the lean
# floor under any Rust program that verifies CSRs (the same with x509-parser alone instead of ucert's model), the read
# floor under any program that reads the files at all (each file opened, read and closed, on every core, nothing
# else), and, for N up to 1,000, a loop of the openssl modulus pipeline over the same files (about a minute per 1,000
# pairs).
# Also each program's peak memory (GNU time).
#   benches/pair.sh [N...]      (needs hyperfine and python3 with cryptography; each set is generated once)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 1000 5000 20000
command -v hyperfine >/dev/null || { echo "benches/pair.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install -q cryptography
cargo build --profile dist --quiet --bin ucert --example pair_floor
ucert=target/dist/ucert
floor=target/dist/examples/pair_floor
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
for n in "$@"; do
  dir=target/bench-pair/$n
  python3 benches/gen_pairs.py "$n" "$dir"
  echo "== N = $n: $(find "$dir/csrs" -type f | wc -l) CSRs, $(find "$dir/certs" -type f | wc -l) certificates"
  echo "-- peak memory (GNU time, max RSS):"
  /usr/bin/time -f "   ucert pair:          %e s wall, %U s user, %S s system, %M KiB" \
    "$ucert" pair --at 2026-06-01T00:00:00Z "$dir/csrs" "$dir/certs" >/dev/null || true
  /usr/bin/time -f "   python cryptography: %e s wall, %U s user, %S s system, %M KiB" \
    python3 benches/pair_cryptography.py "$dir/csrs" "$dir/certs" >/dev/null
  /usr/bin/time -f "   floor:               %e s wall, %U s user, %S s system, %M KiB" \
    "$floor" "$dir/csrs" "$dir/certs" >/dev/null
  /usr/bin/time -f "   lean floor:          %e s wall, %U s user, %S s system, %M KiB" \
    "$floor" --lean "$dir/csrs" "$dir/certs" >/dev/null
  /usr/bin/time -f "   read floor:          %e s wall, %U s user, %S s system, %M KiB" \
    "$floor" --read "$dir/csrs" "$dir/certs" >/dev/null
  # ucert exits 0 here (every pair matches); -i in case a set holds a mismatch on purpose
  hyperfine --warmup 1 --runs 10 -i --export-markdown "target/bench-pair-$n.md" \
    -n "ucert pair" "$ucert pair --at 2026-06-01T00:00:00Z $dir/csrs $dir/certs" \
    -n "python cryptography" "python3 benches/pair_cryptography.py $dir/csrs $dir/certs" \
    -n "floor (read, decode, verify)" "$floor $dir/csrs $dir/certs" \
    -n "lean floor (x509-parser, verify)" "$floor --lean $dir/csrs $dir/certs" \
    -n "read floor (open, read, close)" "$floor --read $dir/csrs $dir/certs"
  if [ "$n" -le 1000 ]; then
    hyperfine --runs 1 --export-markdown "target/bench-pair-$n-openssl.md" \
      -n "openssl loop" "sh benches/openssl-loop.sh $dir"
  fi
done
