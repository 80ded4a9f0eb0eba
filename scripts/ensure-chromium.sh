#!/usr/bin/env bash
# Make sure the system Chromium that the browser tests drive is installed:
#   scripts/ensure-chromium.sh
# Installs Debian's `chromium` package when it is missing and we are root. Never runs
# `playwright install`: the tests use this Chromium, not a browser Playwright downloads.
set -euo pipefail

chromium=/usr/bin/chromium

if [ -x "$chromium" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The browser tests need Chromium at $chromium, which is missing." >&2
  echo "Install Debian's 'chromium' package as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi
echo "Installing Chromium (apt-get install chromium)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
"$chromium" --version >&2
