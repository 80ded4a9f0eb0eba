#!/usr/bin/env bash
# Make sure GNU gettext is installed; the catalog tests (tests/test_catalogs.py) run
# makemessages (xgettext, msgmerge) and msgfmt:
#   scripts/ensure-gettext.sh
# Installs Debian's `gettext` package when a tool is missing and we are root.
set -euo pipefail

if command -v xgettext >/dev/null && command -v msgmerge >/dev/null \
  && command -v msgfmt >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The catalog tests need GNU gettext (xgettext, msgmerge, msgfmt), which is missing." >&2
  echo "Install Debian's 'gettext' package as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends gettext" >&2
  exit 1
fi
echo "Installing GNU gettext (apt-get install gettext)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends gettext >/dev/null
msgfmt --version | head -n 1 >&2
