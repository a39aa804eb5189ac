#!/usr/bin/env bash
# Builds the release artefacts into target/dist-out/, from a clean clone, on a Debian machine with Rust (rustup):
#
#   ucert-VERSION-x86_64-unknown-linux-musl.tar.gz   static Linux binary (musl, with mimalloc)
#   ucert-VERSION-x86_64-pc-windows-gnu.zip          Windows (mingw-w64)
#   ucert-VERSION-aarch64-apple-darwin.tar.gz        macOS on Apple silicon, 11.0 (Big Sur) and later
#   ucert-VERSION-x86_64-apple-darwin.tar.gz         macOS on Intel, 10.12 (Sierra) and later
#   ucert_VERSION-1_amd64.deb                        Debian/Ubuntu package of the static binary
#   SHA256SUMS                                       sha256sum of all of the above
#
# Each archive holds the binary, its man page, completion scripts for bash, zsh, fish, PowerShell and elvish, README,
# LICENSE and CHANGELOG. Every binary is built with the `dist` profile (fat LTO, one codegen unit). macOS binaries
# are cross-linked with zig (cargo-zigbuild, ziglang from PyPI): no Apple SDK is needed, and they cannot be run here.
#
#   scripts/dist.sh              everything
#   scripts/dist.sh TARGET...    only those targets (the .deb needs x86_64-unknown-linux-musl)
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
out=target/dist-out
assets=target/dist-assets
all_targets=(x86_64-unknown-linux-musl x86_64-pc-windows-gnu aarch64-apple-darwin x86_64-apple-darwin)
targets=("${@:-${all_targets[@]}}")
[ $# -eq 0 ] && targets=("${all_targets[@]}")

say() { echo "== $*" >&2; }

# --- tools ----------------------------------------------------------------------------------------------------------
need_apt=()
command -v musl-gcc >/dev/null || need_apt+=(musl-tools)
command -v x86_64-w64-mingw32-gcc >/dev/null || need_apt+=(gcc-mingw-w64-x86-64)
command -v sha256sum >/dev/null || need_apt+=(coreutils)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
rustup target add "${targets[@]}" >/dev/null
case " ${targets[*]} " in
  *apple-darwin*)
    command -v cargo-zigbuild >/dev/null || cargo install --locked cargo-zigbuild
    python3 -c 'import ziglang' 2>/dev/null || python3 -m pip install -q ziglang
    ;;
esac
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb

# --- man page and completions, from the host build (the same clap definition on every target) -----------------------
say "man page and completions"
rm -rf "$out" "$assets"
mkdir -p "$out" "$assets/completions"
cargo build --profile dist --quiet
host=target/dist/ucert
"$host" man >"$assets/ucert.1"
gzip -9n <"$assets/ucert.1" >"$assets/ucert.1.gz"
"$host" completions bash >"$assets/completions/ucert.bash"
"$host" completions zsh >"$assets/completions/_ucert"
"$host" completions fish >"$assets/completions/ucert.fish"
"$host" completions powershell >"$assets/completions/_ucert.ps1"
"$host" completions elvish >"$assets/completions/ucert.elv"

# --- one archive per target --------------------------------------------------------------------------------------------
for target in "${targets[@]}"; do
  say "$target"
  features=()
  case "$target" in
    *linux-musl) features=(--features mimalloc) ;;   # musl's allocator is slow for pair (CONTRIBUTING.md)
  esac
  case "$target" in
    aarch64-apple-darwin)
      MACOSX_DEPLOYMENT_TARGET=11.0 cargo zigbuild --quiet --profile dist --target "$target" ;;
    x86_64-apple-darwin)
      MACOSX_DEPLOYMENT_TARGET=10.12 cargo zigbuild --quiet --profile dist --target "$target" ;;
    *)
      cargo build --quiet --profile dist --target "$target" "${features[@]}" ;;
  esac
  exe=ucert
  [[ "$target" == *windows* ]] && exe=ucert.exe
  name="ucert-$version-$target"
  stage="$out/$name"
  mkdir -p "$stage"
  cp "target/$target/dist/$exe" "$stage/"
  cp "$assets/ucert.1" "$stage/"
  cp -r "$assets/completions" "$stage/"
  cp README.md LICENSE CHANGELOG.md "$stage/"
  if [[ "$target" == *windows* ]]; then
    (cd "$out" && python3 -m zipfile -c "$name.zip" "$name")
  else
    tar -C "$out" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
  fi
  rm -rf "$stage"
done

# --- the .deb, of the static binary ---------------------------------------------------------------------------------
if [[ " ${targets[*]} " == *" x86_64-unknown-linux-musl "* ]]; then
  say ".deb"
  cargo deb --no-build --no-strip --profile dist --target x86_64-unknown-linux-musl --output "$out/" >/dev/null
fi

(cd "$out" && sha256sum -- *.tar.gz *.zip *.deb 2>/dev/null >SHA256SUMS)
say "written to $out:"
ls -l "$out" >&2
