#!/usr/bin/env bash
# Debian/Ubuntu packages the tests need: a headless Chromium for the browser
# tests and poppler-utils (pdftotext, pdftoppm) for the PDF tests. Pango,
# which WeasyPrint needs, is included for machines that lack it.
# With --pdf, only what building the site and PDF needs: Pango and fonts for
# WeasyPrint (`make site`; the publish workflow's build).
set -euo pipefail

have_browser() { command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; }
need=()
if [ "${1:-}" != "--pdf" ]; then
  have_browser || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
fi
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Need root or sudo to install: ${need[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
