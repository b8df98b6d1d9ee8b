#!/usr/bin/env bash
# Install pb-ledger into .venv and start the service on the embedded SQLite store, with a demonstration cycle.
# Usage: scripts/run.sh [--host H] [--port P]   (then open http://127.0.0.1:8000/)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/pb-ledger serve --demo "$@"
