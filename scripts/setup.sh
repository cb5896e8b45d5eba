#!/bin/sh
# Set up a fresh machine: the system libraries WeasyPrint needs, then a virtual
# environment in .venv with the pinned Python packages.
#   sh scripts/setup.sh          runtime only
#   sh scripts/setup.sh --dev    runtime plus the test tools
set -eu
cd "$(dirname "$0")/.."

# WeasyPrint draws text with Pango and subsets fonts with HarfBuzz; fontconfig
# loads the fonts the project ships; Ghostscript's colour profiles give the press
# edition its CMYK output intent. Install whichever of them is missing.
missing=""
have_lib() { ldconfig -p | grep -q "$1"; }
CMYK_PROFILE=/usr/share/color/icc/ghostscript/default_cmyk.icc
have_lib 'libpango-1.0.so.0' || missing="$missing libpango-1.0-0"
have_lib 'libpangoft2-1.0.so.0' || missing="$missing libpangoft2-1.0-0"
have_lib 'libharfbuzz-subset.so.0' || missing="$missing libharfbuzz-subset0"
have_lib 'libfontconfig.so.1' || missing="$missing libfontconfig1"
[ -f "$CMYK_PROFILE" ] || missing="$missing libgs-common"
# The tests drive the live preview (build.py serve) in a real, headless browser:
# Debian's Chromium and its ChromeDriver.
if [ "${1:-}" = "--dev" ]; then
  command -v chromium >/dev/null || missing="$missing chromium"
  command -v chromedriver >/dev/null || missing="$missing chromium-driver"
  # The web edition's test runs axe-core (pinned in tests/axe/package-lock.json),
  # which npm installs.
  command -v npm >/dev/null || missing="$missing npm"
fi
if [ -n "$missing" ]; then
  echo "setup: installing system libraries:$missing"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these need root. Run: sudo apt-get install -y$missing" >&2
    exit 1
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  # exactly the versions in the lock file, nothing from elsewhere
  npm ci --prefix tests/axe --no-audit --no-fund --silent
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
fi
echo "setup: ready (.venv)"
