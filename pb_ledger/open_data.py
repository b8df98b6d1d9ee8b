"""A cycle's open data (docs/open-data.md, format `pb-ledger-open-data/1`): projects, committee decisions with their
reasons, anonymous ballots, results and milestones, each as CSV and JSON, with a manifest that names the log position
they were taken at and the SHA-256 of every file.

Projects, decisions, results and milestones come from the read models; the ballots straight from the log's
`BallotCast` entries (the read models count ballots, they do not keep them), without their ballot token, each with
its `seq` and entry hash so anyone can find it in the log and check its signature and inclusion — once the vote is
closed: before, the dump holds no ballot, as the public log holds none of an open vote (pb_ledger/web/visibility.py)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pb_ledger.ledger.store import Ledger
from pb_ledger.report.document import Provenance, ReportRefused
from pb_ledger.web.visibility import counts_public
from projections.queries import CycleQueries

FORMAT = "pb-ledger-open-data/1"
COLUMNS = {
    "projects": ("project", "idea", "title", "cost", "district", "category", "on_ballot", "score", "rank", "selected",
                 "reserve"),
    "decisions": ("seq", "time", "idea", "title", "decision", "project", "cost", "reason", "criterion", "checks",
                  "revises", "revision_reason"),
    "ballots": ("seq", "entry_hash", "channel", "district", "vote", "points"),
    "results": ("project", "title", "cost", "district", "score", "rank", "selected", "reserve"),
    "milestones": ("seq", "time", "project", "kind", "date", "percent", "reason", "note"),
}
LISTS = ("vote", "points", "checks")  # JSON arrays: a JSON value in JSON, its JSON text in a CSV cell


def write_open_data(ledger: Ledger, queries: CycleQueries, cycle_id: str, provenance: Provenance,
                    out: Path) -> dict[str, Any]:
    cycle = queries.cycle(cycle_id)
    if cycle is None:
        raise ReportRefused(f"no cycle {cycle_id!r} in log {ledger.log_id!r}")
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, Iterable[dict[str, Any]]] = {
        "projects": [_bools(p) for p in queries.projects(cycle_id)],
        "decisions": [_bools(d) for d in queries.decisions(cycle_id)],
        "ballots": _ballots(ledger, cycle_id, provenance.position) if counts_public(cycle) else [],
        "results": [_bools(p) for p in queries.projects(cycle_id) if p["score"] is not None],
        "milestones": queries.milestones(cycle_id),
    }
    files = []
    for name, rows in tables.items():
        count = _write_both(out, name, COLUMNS[name], rows)
        files += [_described(out / f"{name}.{kind}", count) for kind in ("csv", "json")]
    summary = _cycle_summary(cycle)
    (out / "cycle.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    files.insert(0, _described(out / "cycle.json", 1))
    manifest = {"format": FORMAT, "log": ledger.log_id, "cycle": cycle_id, "title": cycle["title"],
                "computed_at": provenance.as_json(), "generated": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "files": files}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _bools(row: dict[str, Any]) -> dict[str, Any]:
    return {k: bool(v) if k in ("on_ballot", "selected", "reserve", "revises") and v is not None else v
            for k, v in row.items()}


def _ballots(ledger: Ledger, cycle_id: str, position: int) -> Iterator[dict[str, Any]]:
    for row in ledger.iter_cycle_entries(cycle_id, "BallotCast"):
        if row.seq >= position:
            return
        payload = json.loads(row.entry)["payload"]
        yield {"seq": row.seq, "entry_hash": row.entry_hash, "channel": payload["channel"],
               "district": payload.get("district"), "vote": payload["vote"], "points": payload.get("points")}


def _write_both(out: Path, name: str, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> int:
    """Stream the rows into NAME.csv and NAME.json at once (ballots may be hundreds of thousands)."""
    count = 0
    with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as c, \
            (out / f"{name}.json").open("w", encoding="utf-8") as j:
        writer = csv.writer(c, lineterminator="\n")
        writer.writerow(columns)
        j.write("[")
        for row in rows:
            values = {k: row.get(k) for k in columns}
            writer.writerow([_csv_cell(k, v) for k, v in values.items()])
            j.write(("," if count else "") + "\n  " + json.dumps(values, ensure_ascii=False))
            count += 1
        j.write("\n]\n" if count else "]\n")
    return count


def _csv_cell(column: str, value: Any) -> Any:
    if value is None:
        return ""
    if column in LISTS:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _described(path: Path, rows: int) -> dict[str, Any]:
    return {"name": path.name, "rows": rows, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def _cycle_summary(cycle: dict[str, Any]) -> dict[str, Any]:
    return {"cycle": cycle["cycle"], "title": cycle["title"],
            "budget": {"amount": cycle["amount"], "currency": cycle["currency"], "exponent": cycle["exponent"]},
            "phase": cycle["phase"], "vote_type": cycle["vote_type"], "rule": cycle["rule"],
            "tie_break": cycle["tie_break"], "threshold": cycle["threshold"], "ballots": cycle["ballots"],
            "spent": cycle["spent"], "closing_entry": cycle["closing_entry"]}
