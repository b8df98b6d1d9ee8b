#!/usr/bin/env bash
# Install everything the tests need, then run them: the pytest suite on SQLite and PostgreSQL, and the pabulib
# conformance check (../shared/checks) on both stores. Exit non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL: the integration tests run on it as well as on SQLite.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# Chromium (Debian's) for the browser tests; Playwright drives it, it never downloads a browser of its own. The Noto
# fonts shape the Arabic pages.
if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-core >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi

# Noto fonts: the evaluation report's charts and PDF draw Arabic with Noto Sans Arabic / Noto Naskh Arabic.
if [ ! -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core >/dev/null
fi
# The browser tests keep a screenshot of every page in every language here (CI artefacts; git-ignored).
export PB_LEDGER_SCREENSHOT_DIR="${PB_LEDGER_SCREENSHOT_DIR:-$PWD/artifacts/screenshots}"
rm -rf "$PB_LEDGER_SCREENSHOT_DIR"
trap 'echo "screenshots of the pages: $PB_LEDGER_SCREENSHOT_DIR"' EXIT

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
. .venv/bin/activate

python -m pytest -q -p no:cacheprovider "$@"

if [ -d ../shared/checks ]; then
  # every real election with a published selection, whatever its rule
  echo "pabulib conformance (SQLite):"
  python ../shared/checks/pabulib_conformance.py
  db="pbl_conformance_$$"
  psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
  trap 'psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres;
        echo "screenshots of the pages: $PB_LEDGER_SCREENSHOT_DIR"' EXIT
  echo "pabulib conformance (PostgreSQL):"
  PB_LEDGER_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$db" \
    python ../shared/checks/pabulib_conformance.py
elif [ "${CI:-}" = "true" ]; then
  echo "../shared is missing: CI needs it beside the project" >&2
  exit 1
fi
