#!/usr/bin/env bash
# The product at awkward dates (docs/operations.md, 年度工作日历): on a fresh SQLite database per instant, under
# faketime (Asia/Shanghai), migrate, seed the demo, dry-run the reminders and request every main page as each demo
# role. 2026-12-31 23:30 is the year's last half hour; 2027-01-04 is the first working day of a year not verified;
# 2027-10-15 has neither 2027 nor 2028 verified; 2028-02-29 is a leap day in a year only ever drafted.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
INSTANTS=("2026-12-31 23:30:00" "2027-01-04 09:00:00" "2027-10-15 09:00:00" "2028-02-29 09:00:00")
if [ -n "${DATE_RUNS:-}" ]; then IFS=',' read -r -a INSTANTS <<<"$DATE_RUNS"; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for instant in "${INSTANTS[@]}"; do
  echo "== $instant（Asia/Shanghai）"
  db="$work/date-run.sqlite3"
  rm -f "$db"
  run() {
    env -u DATABASE_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
      TZ=Asia/Shanghai DATABASE_URL="sqlite:///$db" PRIVATE_FILES_ROOT="$work/files" \
      EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
      faketime "$instant" "$@"
  }
  run $BIN/python manage.py migrate --no-input -v0
  run $BIN/python manage.py seed_demo --cases 300 >"$work/seed.log" || { cat "$work/seed.log"; exit 1; }
  tail -n 1 "$work/seed.log"
  run $BIN/python manage.py send_reminders --dry-run | tail -n 3
  # Django logs each 403/404 of the role matrix with its traceback: keep that for a failing run only.
  run $BIN/python .ci/date_smoke.py 2>"$work/smoke.err" || { cat "$work/smoke.err"; exit 1; }
done
