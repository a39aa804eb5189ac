#!/bin/sh
# The openssl way, file by file: the modulus MD5 of every CSR and certificate, then pairs found by sorting.
#   sh benches/openssl-loop.sh DIR   (DIR/csrs/*.csr and DIR/certs/*.cer)
for f in "$1"/csrs/*.csr; do
  echo "$(openssl req -noout -modulus -in "$f" | openssl md5 | cut -d' ' -f2) csr"
done >"$1/.openssl-loop"
for f in "$1"/certs/*.cer; do
  echo "$(openssl x509 -noout -modulus -in "$f" | openssl md5 | cut -d' ' -f2) cert"
done >>"$1/.openssl-loop"
echo "$(sort "$1/.openssl-loop" | cut -d' ' -f1 | uniq -d | wc -l) pairs"
