#!/usr/bin/env bash
# Builds fuzz/seeds/<target>/ from the fixtures (run after fixtures/make.sh; the seeds are committed), and copies in
# the inputs fuzzing found, which no fixture makes (fuzz/regressions/<target>/, committed, never generated). Run it
# again and nothing changes: archives are made with fixed times, owners and modes, so a seed changes only when its
# fixture does.
set -euo pipefail
cd "$(dirname "$0")"
export TZ=UTC LC_ALL=C
f=../fixtures
targets="input pkcs7 match logs packed text chain"
rm -rf seeds
for t in $targets; do
  mkdir -p "seeds/$t"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# archives: every member dated 2026-01-01, owned by root and rw-r--r--, in name order; gzip without a name or time
fixed() { touch -d '2026-01-01 00:00:00' "$@" && chmod 644 "$@"; }
archive() { tar --sort=name --mtime='2026-01-01 00:00:00' --owner=0 --group=0 --numeric-owner --mode=644 -cf - "$@"; }
# input: every form, the refused kinds, the odd-but-valid ones, one of each kind of key
for p in "$f"/forms/* "$f"/refused/* "$f"/odd/*.pem "$f"/cucm/tomcat.csr "$f"/cucm/tomcat-ECDSA.pem "$f"/chain/with-unrelated.p7b; do
  cp "$p" "seeds/input/$(basename "$p")"
done
# input: Windows Notepad's "Unicode" (UTF-16 with a byte order mark), little-endian, and big-endian cut short
# inside its last character
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$f"/cucm/tomcat.pem; } >seeds/input/utf16le-bom.pem
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$f"/cucm/tomcat.pem; } | head -c -3 >seeds/input/utf16be-bom.pem
# input: a CA's delivery zipped, deflated and stored (a ZIP archive is read as the bundle it holds)
cp "$f"/cucm/tomcat.pem "$tmp"/tomcat.crt
cp "$f"/ca/issuing-ca.pem "$tmp"/bundle.crt
echo "Install with the bundle." >"$tmp"/README.txt
fixed "$tmp"/tomcat.crt "$tmp"/bundle.crt "$tmp"/README.txt
(cd "$tmp" && zip -q -X delivery.zip tomcat.crt bundle.crt README.txt && zip -q -X -0 stored.zip tomcat.crt bundle.crt)
cp "$tmp"/delivery.zip "$tmp"/stored.zip seeds/input/
# pkcs7: the content of the signedData (what the target wraps in a ContentInfo itself)
for p in "$f"/forms/certnew.p7b "$f"/chain/with-unrelated.p7b; do
  # skip the ContentInfo SEQUENCE header, the OID and the [0] header: asn1parse gives the offset of the SignedData
  # (awk reads to the end: leaving early would stop openssl with SIGPIPE, which pipefail turns into a failure)
  off=$(openssl asn1parse -inform DER -in "$p" | awk '!found && /d=2/ && /SEQUENCE/ { split($1, a, ":"); print a[1]; found = 1 }')
  tail -c +"$((off + 1))" "$p" >"seeds/pkcs7/$(basename "$p" .p7b).der"
done
# match: a cut byte, then the CSR and the certificate (the byte places the cut between them)
pair() {
  local csr=$1 cert=$2 name=$3 a b cut
  a=$(wc -c <"$csr"); b=$(wc -c <"$cert")
  cut=$(( (a * 256 + a + b) / (a + b + 1) ))
  [ "$cut" -gt 255 ] && cut=255
  { printf "\\x$(printf %02x "$cut")"; cat "$csr" "$cert"; } >"seeds/match/$name"
}
pair "$f"/cucm/tomcat.csr "$f"/forms/certnew.p7b tomcat-p7b
pair "$f"/match/san-short.csr "$f"/match/san-added-cn-ip.pem san
pair "$f"/cucm/tomcat-ECDSA.csr "$f"/cucm/tomcat-ECDSA.pem ecdsa
pair "$f"/forms/tomcat-pkcs1.der "$f"/forms/certnew-der.cer key-der
# logs: a selector byte, then a log
i=0
for p in "$f"/logs/*; do
  { printf "\\x$(printf %02x $((i % 4)))"; cat "$p"; } >"seeds/logs/$(basename "$p")"
  i=$((i + 1))
done
# packed: logs in a tar archive, plain and in gzip, and a gzip-compressed log
(cd "$f"/logs && archive capf-ssl-read.txt nginx-success.log.gz >"$tmp"/traces.tar && archive capf-ssl-read.txt | gzip -n >"$tmp"/traces.tgz)
cp "$tmp"/traces.tar "$tmp"/traces.tgz "$f"/logs/nginx-success.log.gz seeds/packed/
# text: a selector byte (odd: GeneralizedTime; the rest picks the string type), then the bytes
printf '\x00260101120000+0200' >seeds/text/utc-offset
printf '\x002601010000+1\xc3\xa92' >seeds/text/regression-non-ascii-zone
printf '\x0120161231235960Z' >seeds/text/leap-second
printf '\x18cucm\x1b]0;pwned\x07\xc2\x9b2J\xe2\x80\xae\r\n' >seeds/text/hostile-utf8
printf '\x3c\x00\x41\x20\x2e' >seeds/text/bmp-rlo
# text: a name of two RDNs, the second multi-valued (CN = cucm, then O = Ex. + OU = an escape sequence)
printf '\x0c\x30\x2a\x31\x0d\x30\x0b\x06\x03\x55\x04\x03\x0c\x04cucm\x31\x19\x30\x0a\x06\x03\x55\x04\x0a\x13\x03Ex.\x30\x0b\x06\x03\x55\x04\x0b\x0c\x04\x1b[0m' >seeds/text/name
# chain: a repeat byte, then a bundle
for p in "$f"/chain/*.pem "$f"/chain/*.p7b "$f"/forms/certnew.p7b "$f"/hostile/evil-ca.pem; do
  { printf '\x01'; cat "$p"; } >"seeds/chain/$(basename "$p")"
done
# what fuzzing found: each a crash once, each a regression test too (see CONTRIBUTING, Fuzzing)
for t in $targets; do
  for r in regressions/"$t"/*; do
    if [ -f "$r" ]; then
      cp "$r" "seeds/$t/regression-$(basename "$r")"
    fi
  done
done
echo "seeds: $(find seeds -type f | wc -l) files" >&2
