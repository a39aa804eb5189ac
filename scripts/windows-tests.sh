#!/usr/bin/env bash
# Builds ucert and its whole test suite for Windows (x86_64-pc-windows-gnu, with Debian's mingw-w64) and runs the
# suite under Debian's wine, so that a Windows regression fails CI on a Linux machine.
#
#   scripts/windows-tests.sh            installs what it needs (apt, rustup), then runs the tests
#
# wine 8 lacks bcryptprimitives.dll's ProcessPrng, which Rust's standard library calls for random numbers; a stub
# built here from scripts/wine/bcryptprimitives.c (RtlGenRandom behind it) stands in for it inside the test's own
# wine prefix. This is a workaround for wine only: real Windows has the real DLL, and nothing of it ships.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null || need+=(wine64)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
rustup target add x86_64-pc-windows-gnu >/dev/null 2>&1 || true
export PATH="$PATH:/usr/lib/wine"
export WINEDEBUG=-all
export WINEPREFIX="$PWD/target/wine-prefix"

# a prefix of our own, with the stub where Windows keeps the real DLL
if [ ! -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
  wine64 wineboot --init >/dev/null 2>&1 || true
  x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    scripts/wine/bcryptprimitives.c -ladvapi32
fi

# The runner goes through --config, not CARGO_TARGET_..._RUNNER: assert_cmd would read that variable inside the
# Windows test process and try to start "wine64" from there.
run() { cargo test --target x86_64-pc-windows-gnu --config 'target.x86_64-pc-windows-gnu.runner="wine64"' "$@"; }
log="target/windows-tests.log"
mkdir -p target
status=0
run "$@" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
# Under load, wine now and then fails to start a process: Windows error 1359 ("Internal error") from CreateProcess in
# whichever test spawns ucert at that moment, or a test binary that ends with a failure status before its harness
# printed a line ("running N tests"). That is wine's, not ucert's (real Windows has no such failure, and the same
# tests pass when run again), so such a run is run once more (a real failure fails the second run too); any other
# failure fails at once.
never_started() {
  # the binary whose failure ended the run printed nothing of its own after cargo's "Running" line
  awk '/^     Running /{started=0} /^running [0-9]+ tests?$/{started=1} /^error: test failed/{if(!started)found=1}
       END{exit found?0:1}' "$log"
}
if [ "$status" -ne 0 ] && { grep -q "code: 1359" "$log" || never_started; }; then
  echo "windows-tests: wine failed to start a process; running the suite once more" >&2
  run "$@"
  exit
fi
exit "$status"
