"""`pb-ledger report` (the evaluation report of a cycle) and `pb-ledger open-data` (its versioned open-data dump)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pb_ledger.config import Settings


def add_report_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                       command: Callable[..., argparse.ArgumentParser]) -> None:
    report = command(sub, "report", "write a cycle's evaluation report: HTML and PDF with charts, every table as CSV "
                                    "and JSON", _report)
    report.add_argument("--cycle", required=True, help="the cycle id")
    report.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write it into")
    report.add_argument("--lang", choices=["ar", "fr", "en"], default="ar", help="the report's language (default ar)")
    report.add_argument("--no-pdf", action="store_true", help="skip the PDF (HTML, charts and tables only)")
    dump = command(sub, "open-data", "write a cycle's open data (docs/open-data.md): CSV and JSON files and a "
                                     "manifest", _open_data)
    dump.add_argument("--cycle", required=True, help="the cycle id")
    dump.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write it into")


def fresh_read_models(settings: Settings, args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """The log, its queries, and where the read models stand — brought up to the head first."""
    from pb_ledger.ledger.store import Ledger
    from pb_ledger.report.document import Provenance
    from pb_ledger.sqlstore import ReadStore
    from projections.follow import open_view
    from projections.queries import CycleQueries

    ledger = Ledger(settings, args.log or settings.default_log_id(), create=False)
    view = open_view(settings, ledger.log_id)
    view.migrate()
    position = view.catch_up()
    view.close()
    head_hash = ledger.entries(position - 1, 1)[0].entry_hash if position else ""
    return ledger, CycleQueries(ReadStore(settings), ledger.log_id), Provenance(ledger.log_id, position, head_hash)


def _report(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.report.document import write_report

    ledger, queries, provenance = fresh_read_models(settings, args)
    written = write_report(queries, args.cycle, provenance, args.out, args.lang, pdf=not args.no_pdf)
    print(f"wrote the evaluation report of cycle {args.cycle} (log {ledger.log_id}, {provenance.position} entries) "
          f"to {args.out}: {len(written)} files")
    return 0


def _open_data(settings: Settings, args: argparse.Namespace) -> int:
    from pb_ledger.open_data import write_open_data

    ledger, queries, provenance = fresh_read_models(settings, args)
    manifest = write_open_data(ledger, queries, args.cycle, provenance, args.out)
    print(f"wrote the open data of cycle {args.cycle} ({manifest['format']}) to {args.out}: "
          f"{len(manifest['files'])} files")
    return 0
