#!/usr/bin/env bash
# Benchmark: `ucert logs` on a busy CES NGINX error.log of SIZE MB (default 100), plain and gzip-compressed, against
# what people run instead, timed by hyperfine in one run: `grep -E -c` for the levels (which reads the file and
# understands nothing) and `zcat | grep -c` for the .gz; `cat` as the floor of reading. Also ucert's peak memory.
#   benches/logs.sh [SIZE_MB]      (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100}
log=target/bench-logs/nginx-$size.log
command -v hyperfine >/dev/null || { echo "benches/logs.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
python3 benches/gen_nginx_log.py "$size" "$log"
[ -f "$log.gz" ] || gzip -kf "$log"
cargo build --profile dist --quiet
ucert=target/dist/ucert
echo "== $(wc -l <"$log") lines, $(du -m "$log" | cut -f1) MB ($(du -m "$log.gz" | cut -f1) MB gzip); $(nproc) cores"
echo "== ucert logs, peak memory:"
/usr/bin/time -f "%e s wall, %U s user, %M KiB max RSS" "$ucert" logs "$log" >/dev/null || true
# ucert exits 1 (the log has failures): -i keeps hyperfine going; --output=pipe, because GNU grep stops at the first
# match when its output is /dev/null
hyperfine --warmup 1 --runs 10 -i --output=pipe --export-markdown "target/bench-logs-$size.md" \
  -n "ucert logs" "$ucert logs $log" \
  -n "grep -E -c" "grep -E -c 'error|warn' $log" \
  -n "cat" "cat $log"
hyperfine --warmup 1 --runs 10 -i --output=pipe --export-markdown "target/bench-logs-$size-gz.md" \
  -n "ucert logs (.gz)" "$ucert logs $log.gz" \
  -n "zcat | grep -c" "zcat $log.gz | grep -E -c 'error|warn'"
