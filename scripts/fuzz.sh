#!/usr/bin/env bash
# A bounded fuzzing session of one target: scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags]
#   TARGET: input | pkcs7 | match | logs | packed | text | chain
# Runs on the stable toolchain without a sanitizer (`-s none`, the fastest); new inputs go to fuzz/corpus/TARGET
# (not committed), the committed seeds in fuzz/seeds/TARGET are read too. A crash leaves its input in
# fuzz/artifacts/TARGET and makes this script fail. With RUSTC_BOOTSTRAP=1 and SANITIZER=address in the
# environment, it runs with AddressSanitizer instead.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : $# ))
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p "fuzz/corpus/$target"
cargo fuzz run -s "${SANITIZER:-none}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$@"
