"""`pb-ledger import-pabulib`: a real pabulib election becomes a whole cycle of the log.

The whole election is first decided in memory by the domain (so a bad line is reported with its number and nothing
is appended), then appended in one transaction up to the close of the vote; the count is then announced."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import structlog

from pb_ledger.domain import ideas, launch, review, voting
from pb_ledger.domain.cycle import Cycle, Event, evolve
from pb_ledger.domain.errors import DomainError
from pb_ledger.ledger.canonical import nfc
from pb_ledger.pabulib import PabulibElection, PabulibFormatError, parse_pabulib, rules_from_meta, to_minor_units
from pb_ledger.services import Services

log = structlog.get_logger()
IMPORTER = ("importer", "pabulib")
EXPONENT = 2


class ImportRefused(ValueError):
    """The file cannot be imported; `code` is stable and `message` names the line when there is one."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True)
class ImportResult:
    cycle_id: str
    projects: int
    ballots: int
    winners: list[str]


@dataclass(frozen=True)
class PreparedImport:
    """An election read and decided in memory: nothing of it is in the log yet."""

    events: list[Event]
    projects: int
    ballots: int
    sha256: str


def prepare_import(path: Path, tie_break: str = "lower-cost") -> PreparedImport:
    """Read `path` and decide the whole cycle in memory; raises ImportRefused (line and reason) on a bad file."""
    election = _parse(path)
    events, ballots = _decide_election(election, path, tie_break)
    return PreparedImport(events, len(election.projects), ballots, events[0][1]["source"]["sha256"])


def import_pabulib(services: Services, source: Path | PreparedImport, tie_break: str = "lower-cost", *,
                   again: bool = False) -> ImportResult:
    """Append the election as a cycle, then announce its result. A file already imported into this log is refused
    (`already_imported`, naming its cycle) unless `again`."""
    prepared = source if isinstance(source, PreparedImport) else prepare_import(source, tie_break)
    earlier = _imported_cycle(services, prepared.sha256)
    if earlier is not None and not again:
        raise ImportRefused("already_imported", f"this file is already cycle {earlier} of log "
                                                f"{services.repo.ledger.log_id}: import it again only on purpose "
                                                "(--again)")
    cycle_id = services.repo.create(prepared.events, IMPORTER)
    log.info("pabulib_imported", cycle=cycle_id, projects=prepared.projects, ballots=prepared.ballots)
    winners = services.voting.announce_results(cycle_id, actor=IMPORTER)
    return ImportResult(cycle_id, prepared.projects, prepared.ballots, winners)


def _imported_cycle(services: Services, sha256: str) -> str | None:
    for row in services.repo.ledger.iter_type_entries("CycleCreated"):
        entry = json.loads(row.entry)
        if (entry["payload"].get("source") or {}).get("sha256") == sha256:
            return str(entry["cycle"])
    return None


def _parse(path: Path) -> PabulibElection:
    try:
        return parse_pabulib(path)
    except FileNotFoundError:
        raise ImportRefused("file_not_found", f"{path}: no such file") from None
    except PabulibFormatError as e:
        raise ImportRefused("malformed_pabulib", f"{path.name}: {e}") from e
    except UnicodeDecodeError as e:
        raise ImportRefused("malformed_pabulib", f"{path.name}: not UTF-8 text ({e.reason} at byte {e.start})") from e


def _decide_election(election: PabulibElection, path: Path, tie_break: str) -> tuple[list[Event], int]:
    meta = election.meta
    try:
        costs = {p.project_id: to_minor_units(p.cost, EXPONENT) for p in election.projects}
        rules = replace(rules_from_meta(meta, costs), tie_break=tie_break)
        budget = to_minor_units(meta["budget"], EXPONENT)
    except ValueError as e:  # UnsupportedRule, a bad amount
        raise ImportRefused(getattr(e, "code", "malformed_pabulib"), f"{path.name}: {e}") from e
    state = Cycle(id="import")
    events: list[Event] = []

    def decide(*decided: Event) -> None:
        for event in decided:
            evolve(state, *event)
            events.append(event)

    role = IMPORTER[0]
    decide(launch.decide_create(_title(meta), budget, meta.get("currency", "XXX"), EXPONENT, _source(meta, path),
                                role))
    decide(voting.decide_fix_rules(state, rules, role))
    decide(launch.decide_start_phase(state, "ideas", role))
    for project in election.projects:
        _decide_idea(decide, state, project.project_id, project.name, project.fields, project.line)
    decide(launch.decide_start_phase(state, "review", role))
    for project in election.projects:
        try:
            decide(review.decide_accept(state, nfc(project.project_id), nfc(project.project_id),
                                        costs[project.project_id], "on the official project list of the election",
                                        role))
        except DomainError as e:
            raise ImportRefused(e.code, f"line {project.line}: project {project.project_id}: {e.message}") from e
    decide(*review.decide_publish_ballot(state, role))
    decide(voting.decide_open(state, role))
    for vote in election.votes:
        try:
            decide(voting.decide_cast(state, "paper", vote.vote, vote.points, role))
        except DomainError as e:
            raise ImportRefused(e.code, f"{path.name}: line {vote.line}: {e.message}") from e
    decide(voting.decide_close(state, role))
    return events, state.ballots


def _decide_idea(decide: Any, state: Cycle, project_id: str, name: str, fields: dict[str, str], line: int) -> None:
    try:
        decide(ideas.decide_submit(
            state, nfc(project_id), nfc(name or project_id), nfc(fields.get("description", "")), "import",
            IMPORTER[0], district=_optional(fields, "district"), category=_optional(fields, "category")))
    except DomainError as e:
        raise ImportRefused(e.code, f"line {line}: project {project_id}: {e.message}") from e


def _optional(fields: dict[str, str], key: str) -> str | None:
    value = fields.get(key, "").strip()
    return nfc(value) if value and value != "None" else None


def _title(meta: dict[str, str]) -> str:
    parts = [meta.get("unit", ""), meta.get("subunit", ""), meta.get("instance", "")]
    return nfc(" · ".join(p.strip() for p in parts if p.strip()) or "Imported election")


def _source(meta: dict[str, str], path: Path) -> dict[str, Any]:
    keep = ("country", "unit", "subunit", "district", "instance", "vote_type", "rule", "date_begin", "date_end",
            "description", "language", "edition")
    return {
        "format": "pabulib",
        "file": nfc(path.name),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "meta": {k: nfc(meta[k]) for k in keep if k in meta},
    }
