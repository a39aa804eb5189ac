#!/usr/bin/env python3
"""Writes a busy CES NGINX error.log of about SIZE megabytes for benches/logs.sh: the records of the bundled
fixtures (fixtures/logs/nginx-*.log, which fold several records onto one line as Cisco's document shows them), one
record per line as NGINX writes them, with advancing time stamps; mostly successful enrollments, a failure every
thousand records. Deterministic: the same SIZE gives the same file.

    python3 benches/gen_nginx_log.py SIZE_MB OUT
"""
import pathlib
import re
import sys

size = int(sys.argv[1]) * 1024 * 1024
out = pathlib.Path(sys.argv[2])
here = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "logs"
stamp = re.compile(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} (\[\w+\] \d+#\d+:.*?)(?= \[…\]|(?= \d{4}/\d{2}/\d{2} )|$)", re.M)


def records(name):
    text = (here / name).read_text(encoding="utf-8", errors="replace")
    return [m.group(1).strip() for m in stamp.finditer(text)]


good = records("nginx-success.log")
bad = records("nginx-curl60-untrusted.log") + records("nginx-curl28-login.log") + records("nginx-auth-failed.log")
if not good or not bad:
    sys.exit("gen_nginx_log.py: no records found in the fixtures")
if out.exists() and out.stat().st_size >= size:
    sys.exit(0)
out.parent.mkdir(parents=True, exist_ok=True)
written = 0
n = 0
with out.open("w", encoding="utf-8") as f:
    while written < size:
        seconds = n // 4
        t = f"2026/06/{1 + seconds // 86400 % 28:02d} {seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        record = bad[n // 1000 % len(bad)] if n % 1000 == 999 else good[n % len(good)]
        line = f"{t} {record}\n"
        f.write(line)
        written += len(line)
        n += 1
