#!/usr/bin/env bash
# The interface's gettext catalogue (Babel):
#   scripts/i18n.sh extract   re-extract pb_ledger/locale/messages.pot from the templates and labels, and merge it
#                             into each language's messages.po (then translate the new entries)
#   scripts/i18n.sh compile   compile the .po files to .mo (pip install and wheel builds do it too: setup.py)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
case "${1:-}" in
  extract)
    "$PYBABEL" extract -F babel.cfg -k N_ --no-location --sort-output --project pb-ledger \
      --msgid-bugs-address "" --copyright-holder "pb-ledger contributors" --width 120 -o pb_ledger/locale/messages.pot .
    "$PYBABEL" update -i pb_ledger/locale/messages.pot -d pb_ledger/locale --no-fuzzy-matching --ignore-obsolete --width 120
    ;;
  compile)
    "$PYBABEL" compile -d pb_ledger/locale --statistics
    ;;
  *)
    echo "usage: scripts/i18n.sh extract|compile" >&2
    exit 2
    ;;
esac
