"""Stage 3, the ballot box: the register of eligible residents, identity proofing, online ballots with receipts,
paper ballots typed in by polling station in batches with a per-line report, and station reconciliation."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

from pb_ledger.domain import eligibility as register_domain
from pb_ledger.domain import voting as domain
from pb_ledger.domain.cycle import Cycle, Event, evolve, require_phase, require_role
from pb_ledger.domain.errors import DomainError
from pb_ledger.eligibility import RegisterStore, ballot_token, load_or_create_voter_key, read_register
from pb_ledger.identity import OneTimeCodes, ServerLogDelivery
from pb_ledger.ledger.canonical import nfc
from pb_ledger.paper_drafts import PaperDrafts
from pb_ledger.services.repository import Actor, CycleRepository

log = structlog.get_logger()
CLERK: Actor = ("clerk", "")
CODE_SENT = ("if this national ID number is on the register of eligible residents and has not voted yet, a one-time "
             "code was sent to the contact the register gives for it")


@dataclass(frozen=True)
class Receipt:
    """Proves that a ballot is in the log and shows none of its choices."""

    log: str
    cycle: str
    seq: int
    entry_hash: str

    def as_text(self) -> str:
        return f"{self.log} {self.cycle} seq {self.seq} entry {self.entry_hash}"


class BallotBox:
    def __init__(self, repo: CycleRepository, register: RegisterStore | None, codes: OneTimeCodes | None = None):
        self.repo, self.register = repo, register
        store = None if register is None else register.store
        self.codes = codes or OneTimeCodes(ServerLogDelivery(), store, repo.ledger.log_id)
        self.drafts = None if store is None else PaperDrafts(store, repo.ledger.log_id)
        self._voter_key: bytes | None = None

    def publish_register(self, cycle: str, register_file: str, actor: Actor = ("pb-team", "")) -> str:
        """Import the register of eligible residents (a `;` file: national_id;district;contact); the log gets only
        counts and ballot tokens. Returns a per-line report."""
        text = Path(register_file).read_text(encoding="utf-8")
        residents, refused = read_register(text, self._key(), cycle)
        districts: dict[str, int] = {}
        for resident in residents:
            districts[resident.district or ""] = districts.get(resident.district or "", 0) + 1
        tokens = [r.token for r in residents]
        residence = {r.token: r.district for r in residents if r.district}
        self.repo.run(cycle, lambda c: register_domain.decide_publish_register(
            c, tokens, districts, len(refused), actor[0], residence or None), actor)
        self._private().replace(cycle, residents)
        log.info("register_published", cycle=cycle, eligible=len(residents), refused=len(refused))
        lines = [f"eligible: {len(residents)}"] + [f"line {r.line}: refused: {r.reason}" for r in refused]
        return "\n".join(lines)

    def request_code(self, cycle: str, national_id: str, actor: Actor = ("voter", "")) -> str:
        """Send a one-time code to an eligible resident before an online ballot. The answer is the same whether or
        not the number is on the register (or has voted), so that nobody learns who is registered by asking."""
        token = self._token(cycle, national_id)
        if token is None:
            raise DomainError("missing_text", "give the national ID number")
        state, _ = self.repo.load(cycle)
        require_phase(state, "vote", "asking for a one-time code")
        self.codes.count_request(token)
        resident = self._private().find(cycle, token)
        votes_again = state.rules is not None and state.rules.revoting is not None
        if resident is not None and (token not in state.voted or votes_again):
            self.codes.issue(token, resident.contact)
        else:
            log.info("one_time_code_not_sent", cycle=cycle, registered=resident is not None)
        return CODE_SENT

    def cast_online_ballot(self, cycle: str, national_id: str, code: str, vote: list[str],
                           points: list[int] | None = None, district: str | None = None,
                           actor: Actor = ("voter", "")) -> str:
        """Cast an online ballot after the one-time code; returns the voter's receipt (no choices in it)."""
        token = self._token(cycle, national_id)
        if token is None:
            raise DomainError("missing_text", "give the national ID number")

        def decide(state: Cycle) -> list[Event]:
            return [domain.decide_cast(state, "online", vote, points, actor[0], token, district)]

        decide(self.repo.load(cycle)[0])  # a ballot refused for what it holds keeps the code for a corrected ballot
        self.codes.check(token, code)
        self.repo.run(cycle, decide, actor)
        [(seq, entry_hash)] = self.repo.ledger.last_appended()
        return Receipt(self.repo.ledger.log_id, cycle, seq, entry_hash).as_text()

    def enter_paper_batch(self, cycle: str, station: str, batch: str, lines: list[dict[str, Any]],
                          actor: Actor = CLERK) -> str:
        """Type in a batch of paper ballots from one polling station. Every line is accepted or refused with its
        reason; the accepted ballots are appended together, in shuffled order, with the batch's report.

        When the rules ask for double entry, the first typing is only kept (privately) and the batch is entered when
        a second clerk types it identically; a difference is flagged in the log and both typings must be redone."""
        station, batch = nfc(station), nfc(batch)
        _check_lines(lines)
        state, _ = self.repo.load(cycle)
        _check_batch(state, station, batch, actor)
        if state.rules is not None and state.rules.paper_double_entry:
            outcome = self._double_entry(cycle, station, batch, lines, actor)
            if outcome is not None:
                return outcome
        prepared = [(n, self._token(cycle, str(line.get("national_id", ""))), line) for n, line in
                    enumerate(lines, start=1)]

        def decide(state: Cycle) -> list[Event]:
            _check_batch(state, station, batch, actor)
            ballots, refused = [], []
            for number, token, line in prepared:
                try:
                    event = domain.decide_cast(state, "paper", line.get("vote", []), line.get("points"),
                                               actor[0], token, line.get("district"))
                except DomainError as e:
                    refused.append({"line": number, "code": e.code, "reason": e.message})
                    continue
                evolve(state, *event)  # so a second ballot of the same person in the batch is refused too
                ballots.append(event)
            random.SystemRandom().shuffle(ballots)  # the log's order says nothing about the order of the pile
            report = {"station": station, "batch": batch, "lines": len(prepared),
                      "accepted": len(ballots), "refused": refused}
            return [*ballots, ("PaperBatchEntered", report)]

        events = self.repo.run(cycle, decide, actor)
        if self.drafts is not None:
            self.drafts.discard(cycle, station, batch)
        report = events[-1][1]
        lines_out = [f"batch {batch} of station {station}: {report['accepted']} accepted, "
                     f"{len(report['refused'])} refused"]
        lines_out += [f"line {r['line']}: refused [{r['code']}]: {r['reason']}" for r in report["refused"]]
        return "\n".join(lines_out)

    def _double_entry(self, cycle: str, station: str, batch: str, lines: list[dict[str, Any]],
                      actor: Actor) -> str | None:
        """The first typing is kept and announced; the second is compared with it. None when they agree (the batch
        is then entered), else the report to show."""
        if self.drafts is None:
            raise DomainError("no_register_store", "double entry needs the service's private store")
        typed = [_typed_line(line) for line in lines]
        draft = self.drafts.find(cycle, station, batch)
        if draft is None and self.drafts.keep(cycle, station, batch, actor[1], typed):
            self.repo.run(cycle, lambda c: [_checked(c, station, batch, actor, (
                "PaperBatchFirstEntry", {"station": station, "batch": batch, "lines": len(typed)}))], actor)
            return (f"batch {batch} of station {station}: first typing of {len(typed)} line(s) kept; "
                    "another clerk must type the same batch before it is entered")
        draft = draft or self.drafts.find(cycle, station, batch)
        assert draft is not None
        if draft.clerk == actor[1]:
            raise DomainError("same_clerk", "the second typing of a batch must be done by another clerk")
        differing = [n for n in range(1, max(len(typed), len(draft.lines)) + 1)
                     if typed[n - 1:n] != draft.lines[n - 1:n]]
        if not differing:
            return None
        self.drafts.discard(cycle, station, batch)
        self.repo.run(cycle, lambda c: [_checked(c, station, batch, actor, (
            "PaperBatchMismatch", {"station": station, "batch": batch, "first_lines": len(draft.lines),
                                   "second_lines": len(typed), "differing_lines": differing}))], actor)
        return (f"batch {batch} of station {station}: MISMATCH between the two typings on line(s) "
                f"{', '.join(map(str, differing))}; nothing was entered: both clerks must type the batch again")

    def reconcile_station(self, cycle: str, station: str, handed_out: int, actor: Actor = ("pb-team", "")) -> str:
        """Record a polling station's reconciliation: ballots handed out vs entered vs refused."""
        entered = refused = 0
        for row in self.repo.ledger.iter_cycle_entries(cycle, "PaperBatchEntered"):
            payload = json.loads(row.entry)["payload"]
            if payload["station"] == nfc(station):
                entered, refused = entered + payload["accepted"], refused + len(payload["refused"])

        def decide(state: Cycle) -> list[Event]:
            require_role(actor[0], "pb-team")
            require_phase(state, ("vote", "counting"), "reconciling a polling station")
            if handed_out < 0:
                raise DomainError("invalid_amount", "the number of ballots handed out cannot be negative")
            return [("StationReconciled", {"station": nfc(station), "handed_out": handed_out, "entered": entered,
                                           "refused": refused, "unaccounted": handed_out - entered - refused})]

        self.repo.run(cycle, decide, actor)
        return f"station {station}: handed out {handed_out}, entered {entered}, refused {refused}, " \
               f"unaccounted {handed_out - entered - refused}"

    def _token(self, cycle: str, national_id: str) -> str | None:
        return ballot_token(self._key(), cycle, national_id) if national_id.strip() else None

    def _key(self) -> bytes:
        if self._voter_key is None:
            self._voter_key = load_or_create_voter_key(self.repo.ledger.keys_dir)
        return self._voter_key

    def _private(self) -> RegisterStore:
        if self.register is None:
            raise DomainError("no_register_store", "this service keeps no register of eligible residents")
        return self.register


def _check_batch(state: Cycle, station: str, batch: str, actor: Actor) -> None:
    require_role(actor[0], "clerk")
    require_phase(state, "vote", "entering paper ballots")
    if not station.strip() or not batch.strip():
        raise DomainError("missing_text", "a paper batch names its polling station and its batch number")
    if (station, batch) in state.paper_batches:
        raise DomainError("batch_already_entered", f"batch {batch} of station {station} is already entered")
    if state.rules is not None and state.rules.paper_double_entry and not actor[1].strip():
        raise DomainError("clerk_reference_required", "under double entry each clerk gives their reference "
                                                      "(--actor-ref), so that two different clerks type each batch")


def _check_lines(lines: object) -> None:
    """A batch is a non-empty list of lines, each an object; an empty batch would use up its number for nothing."""
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise DomainError("invalid_batch", 'a batch is a list of lines such as {"national_id": "…", "vote": ["P-1"]}')
    if not lines:
        raise DomainError("empty_batch", "a batch holds at least one ballot: nothing was entered")


def _checked(state: Cycle, station: str, batch: str, actor: Actor, event: Event) -> Event:
    _check_batch(state, station, batch, actor)
    return event


def _typed_line(line: dict[str, Any]) -> dict[str, Any]:
    """A paper line as two typings must agree on it (extra keys and spacing aside)."""
    return {"national_id": str(line.get("national_id", "")).strip(), "vote": list(line.get("vote") or []),
            "points": line.get("points"), "district": line.get("district")}
