#!/usr/bin/env bash
# Installs the Debian packages the tests and documents need, when they are missing:
# Chromium for the browser journeys, fonts covering every Vietnamese letter, gettext for
# the catalogs, poppler-utils to look at rendered PDFs, LibreOffice Calc (headless) to save a
# workbook with a real spreadsheet program in the import tests, postgresql-client (pg_dump,
# pg_restore) for `ptdv backup` / `ptdv restore` on PostgreSQL.
set -euo pipefail
need=()
# fc-list is read once: `fc-list | grep -q` under pipefail fails when grep stops early.
fonts="$(fc-list 2>/dev/null || true)"
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pg_restore >/dev/null 2>&1 || need+=(postgresql-client)
grep -q Tinos <<<"$fonts" || need+=(fonts-croscore)
grep -q "LiberationSans-Regular.ttf" <<<"$fonts" && dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
grep -q "NotoSans-Regular" <<<"$fonts" || need+=(fonts-noto-core)
grep -q "NotoSansMono" <<<"$fonts" || need+=(fonts-noto-mono)
lean=()
command -v soffice >/dev/null 2>&1 || lean+=(libreoffice-calc-nogui)
if [ ${#need[@]} -eq 0 ] && [ ${#lean[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${need[*]} ${lean[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ${#lean[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi
