#!/usr/bin/env bash
# Benchmark: one `ucert match` of a 2048-bit pair against the openssl pipeline of the documents (two
# `openssl ... -modulus | openssl md5` pipelines and a comparison), timed by hyperfine in the same run, with a Rust
# hello-world (benches/hello.rs) as the floor of starting a process.
#   benches/match.sh            (needs hyperfine: apt-get install hyperfine)
# Writes target/bench-match.md and prints hyperfine's summary; the README quotes the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "benches/match.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
cargo build --profile dist --quiet
rustc -C opt-level=3 -C strip=symbols -o target/bench-hello benches/hello.rs
csr=fixtures/cucm/tomcat.csr
cert=fixtures/forms/certnew.cer
# Both sides must agree that the pair matches, or the comparison means nothing.
target/dist/ucert match -q "$csr" "$cert"
sh benches/openssl-pipeline.sh "$csr" "$cert"
hyperfine --warmup 10 --min-runs 200 -N --export-markdown target/bench-match.md \
  -n "ucert match" "target/dist/ucert match -q $csr $cert" \
  -n "openssl pipeline" "sh benches/openssl-pipeline.sh $csr $cert" \
  -n "hello world (Rust)" "target/bench-hello"
