"""`pb-ledger export-pabulib`: one cycle of the log as a pabulib `.pb` file (https://pabulib.org/format).

Everything is read from the log's entries (docs/log-format.md §5), never from the projections, so the file says
what the signed log says: the cycle (`CycleCreated`), the rules in force (the last `RulesFixed`), the projects on
the ballot (`VotingOpened`) with the cost of the latest decision on their idea (`IdeaAccepted`, revised by a later
`IdeaAccepted`/`IdeaRejected`) and the title, category and district of the idea (`IdeaSubmitted`), every
`BallotCast`, and the winners (`ResultsAnnounced`) when the results were announced.

The ballots are streamed: VOTES is written to a temporary file while the projects' votes and scores are counted,
then META and PROJECTS are written and VOTES copied after them. The ballots are anonymous, so `voter_id` is the
ballot's sequence number (1..n, in log order).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pb_ledger.domain.counting import rank_projects
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.ledger.recorder import EntryRow
from pb_ledger.ledger.store import Ledger

# META keys taken over from the pabulib META that an imported cycle keeps in `CycleCreated.source.meta`.
SOURCE_META_KEYS = ("description", "country", "unit", "district", "subunit", "instance", "date_begin", "date_end",
                    "edition", "language")
# The order of the META keys in the pabulib checker (pabulib_helpers.fields.META_FIELDS_ORDER); another order is
# valid but draws a warning.
META_ORDER = ("description", "country", "unit", "district", "subunit", "instance", "num_projects", "num_votes",
              "budget", "vote_type", "rule", "date_begin", "date_end", "min_length", "max_length", "max_sum_cost",
              "max_points", "min_sum_points", "max_sum_points", "min_project_score_threshold", "edition", "language",
              "currency", "fully_funded", "comment")
MISSING = "None"  # pabulib's "no value" cell
FALLBACK_COUNTRY = "Worldwide"  # a cycle that was not imported does not say its country; the checker needs one
NO_CURRENCY = "XXX"  # ISO 4217 "no currency": what the importer records when the file names none


@dataclass
class _Project:
    project: str
    cost: int
    title: str
    category: str | None
    district: str | None
    votes: int = 0
    score: int = 0


@dataclass
class _CycleLog:
    """What the export needs from the cycle's entries, the ballots aside."""

    cycle_id: str
    created: dict[str, Any]
    rules: Rules
    projects: list[_Project]
    opened: dict[str, Any]  # the VotingOpened entry (time, payload)
    closed: EntryRow
    closed_entry: dict[str, Any]
    results: dict[str, Any] | None  # the ResultsAnnounced payload


@dataclass(frozen=True)
class PabulibExportSummary:
    """What `export_cycle_pabulib` wrote."""

    path: Path
    projects: int
    votes: int
    selected: list[str] | None  # the winners marked selected=1; None when no results were announced


def export_cycle_pabulib(ledger: Ledger, cycle_id: str, out: Path, *, country: str | None = None,
                         language: str | None = None) -> PabulibExportSummary:
    """Write cycle `cycle_id` of `ledger` to `out` as a pabulib file; the file appears whole or not at all.

    `country` and `language` (ISO 639-1) fill META when the cycle's source does not say them; a cycle that was not
    imported from pabulib has no country in the log, and without one the file says `Worldwide`.
    Raise `DomainError` `unknown_cycle` when the log holds no such cycle, `voting_not_open` before the vote opened,
    `voting_not_closed` while it is open, and `unexportable_project_id` for a project id pabulib cannot write.
    """
    out = Path(out)
    if out.is_dir():
        raise IsADirectoryError(f"{out} is a directory: give the path of the .pb file to write")
    cycle = _read_cycle(ledger, cycle_id)
    by_id = {p.project: p for p in cycle.projects}
    tmp = out.with_name(f".{out.name}.partial")
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=out.parent) as votes_file:
            num_votes = _write_votes(ledger, cycle, by_id, votes_file)
            votes_file.seek(0)
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                writer = _writer(f)
                _write_meta(writer, ledger, cycle, num_votes, country, language)
                selected = _write_projects(writer, cycle)
                f.write("VOTES\n")
                shutil.copyfileobj(votes_file, f)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return PabulibExportSummary(out, len(cycle.projects), num_votes, selected)


def from_minor_units(amount: int, exponent: int) -> str:
    """The exact decimal text of `amount` minor units: 245848822 with exponent 2 is `2458488.22`, 100000000 is
    `1000000`, 150 is `1.5` (no trailing zeros, `.` as the separator). The inverse of `pabulib.to_minor_units`."""
    if exponent < 0:
        raise ValueError(f"exponent must be >= 0, not {exponent}")
    sign, amount = ("-", -amount) if amount < 0 else ("", amount)
    whole, fraction = divmod(amount, 10**exponent)
    digits = str(fraction).rjust(exponent, "0").rstrip("0") if exponent else ""
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


# --- reading the log ------------------------------------------------------------------------------------------------


def _entries(ledger: Ledger, cycle_id: str, type_: str) -> Iterator[tuple[EntryRow, dict[str, Any]]]:
    for row in ledger.iter_cycle_entries(cycle_id, type_):
        yield row, json.loads(row.entry)


def _all(ledger: Ledger, cycle_id: str, *types: str) -> list[tuple[EntryRow, dict[str, Any]]]:
    """Every entry of these types, in log order."""
    found = [item for type_ in types for item in _entries(ledger, cycle_id, type_)]
    return sorted(found, key=lambda item: item[0].seq)


def _last(ledger: Ledger, cycle_id: str, type_: str) -> tuple[EntryRow, dict[str, Any]] | None:
    last = None
    for item in _entries(ledger, cycle_id, type_):
        last = item
    return last


def _read_cycle(ledger: Ledger, cycle_id: str) -> _CycleLog:
    created = _last(ledger, cycle_id, "CycleCreated")
    if created is None:
        raise DomainError("unknown_cycle", f"log {ledger.log_id} has no cycle {cycle_id!r}")
    opened = _last(ledger, cycle_id, "VotingOpened")
    if opened is None:
        raise DomainError("voting_not_open", f"the vote of cycle {cycle_id} has not opened: there is nothing to export")
    closed = _last(ledger, cycle_id, "VotingClosed")
    if closed is None:
        raise DomainError("voting_not_closed",
                          f"the vote of cycle {cycle_id} is still open: close it before exporting the cycle")
    rules = [entry for row, entry in _entries(ledger, cycle_id, "RulesFixed") if row.seq < opened[0].seq]
    if not rules:
        raise DomainError("rules_missing", f"cycle {cycle_id} opened its vote without rules")
    results = _last(ledger, cycle_id, "ResultsAnnounced")
    ideas = {entry["payload"]["idea"]: entry["payload"] for _, entry in _entries(ledger, cycle_id, "IdeaSubmitted")}
    return _CycleLog(
        cycle_id=cycle_id,
        created=created[1],
        rules=Rules.from_payload(rules[-1]["payload"]),
        projects=_ballot_projects(ledger, cycle_id, opened, ideas),
        opened=opened[1],
        closed=closed[0],
        closed_entry=closed[1],
        results=None if results is None else results[1]["payload"],
    )


def _ballot_projects(ledger: Ledger, cycle_id: str, opened: tuple[EntryRow, dict[str, Any]],
                     ideas: Mapping[str, dict[str, Any]]) -> list[_Project]:
    """The projects of `VotingOpened`, each with the cost of the decision in force on its idea (the latest one)."""
    in_force: dict[str, dict[str, Any]] = {}  # idea -> its latest decision (an IdeaAccepted payload or None)
    for row, entry in _all(ledger, cycle_id, "IdeaAccepted", "IdeaRejected"):
        if row.seq < opened[0].seq:
            in_force[entry["payload"]["idea"]] = entry["payload"] if entry["type"] == "IdeaAccepted" else {}
    accepted = {p["project"]: p for p in in_force.values() if p}
    projects = []
    for project_id in opened[1]["payload"]["projects"]:
        _check_project_id(project_id)
        decision = accepted.get(project_id)
        if decision is None:  # a valid log never gets here (log-format §5: every project was accepted before)
            raise DomainError("unknown_project", f"project {project_id!r} of the ballot has no accepted idea")
        idea = ideas.get(decision["idea"], {})
        projects.append(_Project(project_id, decision["cost"], _text(idea.get("title")) or project_id,
                                 _comma_list(idea.get("category")), _text(idea.get("district"))))
    return projects


def _check_project_id(project_id: str) -> None:
    """pabulib separates the ids of a vote with commas and trims cells: such ids cannot be written faithfully."""
    if not project_id or "," in project_id or project_id != project_id.strip() or any(
            c in project_id for c in "\r\n") or project_id == MISSING:
        raise DomainError("unexportable_project_id",
                          f"project id {project_id!r} cannot be written in a pabulib file (a comma, surrounding "
                          "spaces, a line break, or the word None)")


def _text(value: Any) -> str | None:
    """A one-line cell: line breaks and runs of spaces become one space (the checker refuses padded cells)."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _comma_list(value: Any) -> str | None:
    """A comma list as pabulib writes it: no space around the commas, no empty item."""
    text = _text(value)
    if text is None:
        return None
    return ",".join(item.strip() for item in text.split(",") if item.strip()) or None


# --- writing --------------------------------------------------------------------------------------------------------


def _writer(f: IO[str]) -> Any:
    return csv.writer(f, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")


def _write_votes(ledger: Ledger, cycle: _CycleLog, by_id: dict[str, _Project], f: IO[str]) -> int:
    """Write the VOTES header and rows, counting each project's votes and score on the way; returns the count."""
    cumulative = cycle.rules.vote_type == "cumulative"
    ordinal = cycle.rules.vote_type == "ordinal"
    writer = _writer(f)
    writer.writerow(["voter_id", "vote", "points"] if cumulative else ["voter_id", "vote"])
    voter = 0
    for row in ledger.iter_cycle_entries(cycle.cycle_id, "BallotCast"):
        if row.seq > cycle.closed.seq:
            break
        payload = json.loads(row.entry)["payload"]
        vote: list[str] = payload["vote"]
        points: list[int] = payload.get("points") or []
        voter += 1
        for i, project_id in enumerate(vote):
            project = by_id[project_id]
            project.votes += 1
            project.score += points[i] if cumulative else (len(vote) - i if ordinal else 1)
        cells = [str(voter), ",".join(vote)]
        if cumulative:
            cells.append(",".join(str(p) for p in points))
        writer.writerow(cells)
    return voter


def _write_meta(writer: Any, ledger: Ledger, cycle: _CycleLog, num_votes: int, country: str | None,
                language: str | None) -> None:
    payload = cycle.created["payload"]
    budget = payload["budget"]
    exponent = budget["exponent"]
    rules = cycle.rules
    source = payload.get("source") or {}
    imported = source.get("meta") if isinstance(source, dict) and source.get("format") == "pabulib" else None
    known: dict[str, str] = {}
    for key, value in (imported or {}).items():
        text = _text(value)
        if key in SOURCE_META_KEYS and text:
            known[key] = text
    title = _text(payload["title"]) or cycle.cycle_id
    opened_on, closed_on = _date(cycle.opened["time"]), _date(cycle.closed_entry["time"])
    meta: dict[str, str] = {
        "description": known.get("description") or title,
        "country": known.get("country") or country or FALLBACK_COUNTRY,
        "unit": known.get("unit") or title,
        "instance": known.get("instance") or opened_on[-4:],
        "date_begin": known.get("date_begin") or opened_on,
        "date_end": known.get("date_end") or closed_on,
        "num_projects": str(len(cycle.projects)),
        "num_votes": str(num_votes),
        "budget": from_minor_units(budget["amount"], exponent),
        "vote_type": rules.vote_type,
        # greedy with a threshold counts as greedy-threshold (log-format §5.2); the checker wants that name for it
        "rule": "greedy-threshold" if rules.rule == "greedy" and rules.threshold is not None else rules.rule,
        "min_length": str(rules.min_length),
    }
    for key in ("district", "subunit", "edition"):
        if key in known:
            meta[key] = known[key]
    if rules.max_length is not None:  # pabulib: max_length = min(the city's max_length, num_projects)
        meta["max_length"] = str(min(rules.max_length, len(cycle.projects)))
    if rules.max_sum_cost is not None:
        meta["max_sum_cost"] = from_minor_units(rules.max_sum_cost, exponent)
    for key in ("max_points", "min_sum_points", "max_sum_points"):
        if getattr(rules, key) is not None:
            meta[key] = str(getattr(rules, key))
    if rules.threshold is not None:
        meta["min_project_score_threshold"] = str(rules.threshold)
    if known.get("language") or language:
        meta["language"] = known.get("language") or language or ""
    if budget["currency"] != NO_CURRENCY:
        meta["currency"] = budget["currency"]
    if budget["amount"] >= sum(p.cost for p in cycle.projects):
        meta["fully_funded"] = "1"
    meta["comment"] = _comment(ledger, cycle)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key in META_ORDER:
        if key in meta:
            writer.writerow([key, meta[key]])


def _date(time: str) -> str:
    """`2026-12-03T17:51:03.120000Z` -> `03.12.2026` (pabulib's dd.mm.yyyy)."""
    year, month, day = time[:10].split("-")
    return f"{day}.{month}.{year}"


def _comment(ledger: Ledger, cycle: _CycleLog) -> str:
    rules = cycle.rules
    notes = [
        (f"Exported from the pb-ledger log {ledger.log_id}, cycle {cycle.cycle_id}, up to its VotingClosed entry "
         f"{cycle.closed.entry_hash}."),
        "The ballots are anonymous: voter_id is the ballot's position among the cycle's ballots.",
        (f"Ties between projects of equal score are broken by {rules.tie_break}; PROJECTS lists the projects in "
         "that order."),
    ]
    if rules.rule == "greedy-exclusive" and rules.exclusive:
        groups = " / ".join("{" + ", ".join(group) + "}" for group in rules.exclusive)
        notes.append(f"Mutually exclusive projects (at most one of each group is funded): {groups}.")
    if rules.rule == "greedy-custom":
        notes.append("greedy-custom is Poznan's 80 % rule: greedy until the first project that does not fit, which "
                     "is funded from a reserve (selected=2) when what remains covers at least 80 % of its cost.")
    return " ".join(f"#{n}: {note}" for n, note in enumerate(notes, start=1))


def _write_projects(writer: Any, cycle: _CycleLog) -> list[str] | None:
    """Write PROJECTS in the count's order (score, then the tie-break), which is the order the pabulib checker
    follows when it re-derives `selected`; returns the projects marked selected=1, or None without results."""
    rules = cycle.rules
    exponent = cycle.created["payload"]["budget"]["exponent"]
    by_id = {p.project: p for p in cycle.projects}
    costs = {p.project: p.cost for p in cycle.projects}
    # approval and choose-1: the checker recounts a `score` column as if the ballots were rankings, so it is left out
    with_score = rules.vote_type in ("cumulative", "ordinal")
    scores = {p.project: p.score if with_score else p.votes for p in cycle.projects}
    order = rank_projects(rules, costs, scores, cycle.closed.entry_hash)
    with_category = any(p.category for p in cycle.projects)
    with_district = any(p.district for p in cycle.projects)
    results = cycle.results
    header = ["project_id", "cost", "votes"] + (["score"] if with_score else []) + ["name"]
    header += (["category"] if with_category else []) + (["selected"] if results is not None else [])
    header += ["district"] if with_district else []
    winners = set(results["winners"]) if results is not None else set()
    reserve = set(results.get("reserve") or []) if results is not None else set()
    writer.writerow(["PROJECTS"])
    writer.writerow(header)
    for project_id in order:
        p = by_id[project_id]
        row = [p.project, from_minor_units(p.cost, exponent), str(p.votes)]
        row += [str(p.score)] if with_score else []
        row.append(p.title)
        row += [p.category or MISSING] if with_category else []
        if results is not None:
            row.append("1" if project_id in winners else "2" if project_id in reserve else "0")
        row += [p.district or MISSING] if with_district else []
        writer.writerow(row)
    return None if results is None else [p for p in order if p in winners]
