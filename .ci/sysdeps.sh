#!/usr/bin/env bash
# Make sure the system packages the product needs are present: chromium (browser tests), poppler-utils
# (pdftotext/pdffonts in tests), the serif CJK font of the documents (Noto Serif CJK SC, the fallback of
# PDF_BODY_FONT_FAMILY / PDF_TITLE_FONT_FAMILY), LibreOffice Calc (the tests print the ledger workbook with
# `soffice --headless --convert-to pdf`), wrk (the HTTP load of `manage.py bench`), pg_dump/pg_restore
# (`manage.py backup`/`restore`), faketime (the date runs of .ci/date_runs.sh), and nginx and redis-server (the
# two-node proof, tests/nodes/, and the two-node run of `manage.py bench`: started as an ordinary user on free ports,
# never as the system service).
# Installs them with apt when run as root on Debian; otherwise stops with the exact command to run.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdffonts >/dev/null 2>&1 || need+=(poppler-utils)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v faketime >/dev/null 2>&1 || need+=(faketime)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list ':family=Noto Serif CJK SC' family 2>/dev/null)" ]; then
  need+=(fonts-noto-cjk fontconfig)
fi
if [ "${1:-}" = "--with-compose" ] && ! command -v docker-compose >/dev/null 2>&1; then
  need+=(docker-compose)
fi

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装缺少的系统软件包：${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "缺少系统软件包：${need[*]}" >&2
  echo "请先执行：sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
