#!/usr/bin/env bash
# Benchmark: `ucert chain` on 1,000 and 10,000 certificates, as a linear chain (one p7b-like PEM bundle, root first)
# and as a mesh of CA certificates sharing one CN (with and without key identifiers), timed by hyperfine in one run
# against openssl on the same files: `openssl verify` building the linear chain, and `openssl storeutl` merely
# reading every certificate (openssl has no upload plan; reading is the floor any tool pays).
#   benches/chain.sh [N...]     (default: 1000 10000; needs hyperfine and python3 with cryptography)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "benches/chain.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install -q cryptography
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
dir=target/bench-chain
mkdir -p "$dir"
cargo build --profile dist --quiet
ucert=target/dist/ucert
for n in "${sizes[@]}"; do
  for kind in linear mesh mesh-noid; do
    [ -s "$dir/$kind-$n.pem" ] || python3 benches/gen_chains.py "$kind" "$n" >"$dir/$kind-$n.pem"
  done
  # the last certificate of the linear chain is its leaf; the first its root
  awk '/BEGIN/{n++} {print > "'"$dir"'/part-" n ".pem"}' "$dir/linear-$n.pem"
  mv "$dir/part-1.pem" "$dir/linear-$n-root.pem"
  mv "$dir/part-$n.pem" "$dir/linear-$n-leaf.pem"
  rm -f "$dir"/part-*.pem
  echo "== $n certificates; $(nproc) cores; peak memory of ucert (GNU time):"
  for kind in linear mesh mesh-noid; do
    /usr/bin/time -f "   $kind: %e s wall, %M KiB max RSS" $ucert chain --at 2026-06-01 "$dir/$kind-$n.pem" >/dev/null
  done
  hyperfine --warmup 1 --runs 10 -N --export-markdown "target/bench-chain-$n.md" \
    -n "ucert chain, linear" "$ucert chain --at 2026-06-01 $dir/linear-$n.pem" \
    -n "ucert chain, same-CN mesh" "$ucert chain --at 2026-06-01 $dir/mesh-$n.pem" \
    -n "ucert chain, same-CN mesh, no key ids" "$ucert chain --at 2026-06-01 $dir/mesh-noid-$n.pem" \
    -n "openssl verify, linear" "openssl verify -verify_depth $((n + 1)) -CAfile $dir/linear-$n-root.pem -untrusted $dir/linear-$n.pem $dir/linear-$n-leaf.pem" \
    -n "openssl storeutl, reading the linear set" "openssl storeutl -noout -certs $dir/linear-$n.pem"
done
