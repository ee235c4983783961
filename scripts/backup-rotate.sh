#!/usr/bin/env bash
# Nightly backup with rotation (see docs/operations.md). Run from cron or a systemd timer:
#   PTDV_BACKUP_DIR=/srv/ptdv/backups scripts/backup-rotate.sh
# Keeps the newest PTDV_BACKUP_KEEP_DAILY archives (default 14) and, beyond them, the first
# archive of each of the last PTDV_BACKUP_KEEP_MONTHLY months (default 12). A failed backup
# leaves the older archives untouched and exits non-zero (cron mails it).
set -euo pipefail
dir="${PTDV_BACKUP_DIR:-var/backups}"
keep_daily="${PTDV_BACKUP_KEEP_DAILY:-14}"
keep_monthly="${PTDV_BACKUP_KEEP_MONTHLY:-12}"
ptdv="${PTDV_BIN:-$(dirname "$0")/../.venv/bin/ptdv}"
mkdir -p "$dir"
stamp="$(date -u +%Y%m%d-%H%M%S)"
"$ptdv" backup "$dir/ptdv-$stamp.tar"

# newest first; the name carries the date, so the order does not depend on mtimes
mapfile -t archives < <(find "$dir" -maxdepth 1 -name 'ptdv-*.tar' -printf '%f\n' | sort -r)
declare -A months_kept=()
months=0
for i in "${!archives[@]}"; do
  name="${archives[$i]}"
  if [ "$i" -lt "$keep_daily" ]; then
    continue
  fi
  month="${name:5:6}"  # ptdv-YYYYMM…
  # the oldest archive of a month is its representative: listed last, so remember the month
  # when it is seen for the last time, i.e. keep an archive if no older one of its month exists
  older_same_month=0
  for later in "${archives[@]:$((i + 1))}"; do
    if [ "${later:5:6}" = "$month" ]; then older_same_month=1; break; fi
  done
  if [ "$older_same_month" -eq 0 ] && [ -z "${months_kept[$month]:-}" ] && [ "$months" -lt "$keep_monthly" ]; then
    months_kept[$month]=1
    months=$((months + 1))
    continue
  fi
  rm -f -- "$dir/$name"
done
echo "backups kept in $dir: $(find "$dir" -maxdepth 1 -name 'ptdv-*.tar' | wc -l)"
