#!/usr/bin/env bash
# Installs the Debian packages the tests and documents need, when they are missing:
# Chromium for the browser journeys, fonts covering every Vietnamese letter, gettext for
# the catalogs, poppler-utils to look at rendered PDFs.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -q Tinos || need+=(fonts-croscore)
fc-list 2>/dev/null | grep -q "LiberationSans-Regular.ttf" && dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)
fc-list 2>/dev/null | grep -q "NotoSans-Regular" || need+=(fonts-noto-core)
fc-list 2>/dev/null | grep -q "NotoSansMono" || need+=(fonts-noto-mono)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
