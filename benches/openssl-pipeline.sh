#!/bin/sh
# The manual check of the Cisco documents: two modulus pipelines and a comparison. Exit 0 when the keys agree.
a=$(openssl req -noout -modulus -in "$1" | openssl md5)
b=$(openssl x509 -noout -modulus -in "$2" | openssl md5)
[ "$a" = "$b" ]
