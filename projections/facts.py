"""The cycle facts read model: the latest record of each set-up and stage event of a cycle (timeline, criteria,
rules, council decision, envelopes, register counts, the list put to the vote, the opening and the close of the vote,
the announcement's details, paper batches, reconciliations), as the citizen and staff pages show them.

One row per (cycle, kind, key), replaced by a later event of the same kind and key: for example the last `TimelineSet`
of a cycle is its timeline, and each paper batch is its own row under kind `batch`. Built from the log only."""

from __future__ import annotations

import json
from typing import Any

from pb_ledger.sqlstore import ReadStore
from projections.model import Batch, Entry, Handler, Part, ReadModel

SCHEMA = [
    ("CREATE TABLE IF NOT EXISTS proj_cycle_facts (log_id TEXT NOT NULL, cycle TEXT NOT NULL, kind TEXT NOT NULL,"
     " fkey TEXT NOT NULL, seq BIGINT NOT NULL, entry_hash TEXT NOT NULL, payload TEXT NOT NULL,"
     " PRIMARY KEY (log_id, cycle, kind, fkey))"),
]
# event type -> (kind, the payload member that keys the row, or None for one row per cycle)
KINDS: dict[str, tuple[str, str | None]] = {
    "CouncilDecisionRecorded": ("council", None),
    "DistrictEnvelopesSet": ("envelopes", None),
    "TimelineSet": ("timeline", None),
    "EligibilityCriteriaSet": ("criteria", None),
    "RulesFixed": ("rules", None),
    "VoterRegisterPublished": ("register", None),
    "BallotPublished": ("ballot", None),
    "VotingOpened": ("voting_opened", None),
    "VotingClosed": ("voting_closed", None),
    "ResultsAnnounced": ("results", None),
    "ParticipationSummaryPublished": ("participation", None),
    "PaperBatchFirstEntry": ("batch_first", "batch"),
    "PaperBatchMismatch": ("batch_mismatch", "batch"),
    "PaperBatchEntered": ("batch", "batch"),
    "StationReconciled": ("reconciled", "station"),
    "ForumHeld": ("forum", "forum"),
    "AttachmentAdded": ("attachment", "sha256"),
    "SiteVisitScheduled": ("visit", "visit"),
    "EvaluationReportPublished": ("report", None),
}


class FactsPart(Part):
    schema = SCHEMA
    tables = ("proj_cycle_facts",)
    hashed = frozenset(KINDS)

    def handlers(self) -> dict[str, Handler]:
        return dict.fromkeys(KINDS, self.fact)

    def fact(self, b: Batch, e: Entry) -> None:
        if e.cycle is None:
            return
        name, key_member = KINDS[e.type]
        key = "" if key_member is None else _key(e.type, e.payload, key_member)
        if e.type == "PaperBatchEntered":  # the batch is entered: its earlier typings are settled
            b.cur.execute("DELETE FROM proj_cycle_facts WHERE log_id=? AND cycle=? AND kind IN ('batch_first',"
                          " 'batch_mismatch') AND fkey=?", (b.log, e.cycle, key))
        b.cur.execute("INSERT INTO proj_cycle_facts (log_id, cycle, kind, fkey, seq, entry_hash, payload)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (log_id, cycle, kind, fkey) DO UPDATE SET"
                      " seq=excluded.seq, entry_hash=excluded.entry_hash, payload=excluded.payload",
                      (b.log, e.cycle, name, key, e.seq, e.hash, json.dumps(e.payload, ensure_ascii=False)))


class CycleFactsModel(ReadModel):
    name = "cycle-facts"
    version = 2  # 1 kept its own position table; now a read model of projections/registry.py like the others

    def __init__(self) -> None:
        super().__init__([FactsPart()])


def _key(event_type: str, payload: dict[str, Any], member: str) -> str:
    if member == "batch":  # a batch is named by its station and its number
        return f"{payload['station']}\x1f{payload['batch']}"
    return str(payload[member])


class CycleFactsQueries:
    def __init__(self, store: ReadStore, log_id: str) -> None:
        self.store, self.log_id = store, log_id

    def fact(self, cycle: str, kind: str) -> dict[str, Any] | None:
        """The payload of the cycle's latest event of `kind`, with its `_seq` and `_hash`; None when there is none."""
        with self.store.transaction() as cur:
            row = cur.execute("SELECT seq, entry_hash, payload FROM proj_cycle_facts WHERE log_id=? AND cycle=?"
                              " AND kind=? AND fkey=''", (self.log_id, cycle, kind)).fetchone()
        return None if row is None else _payload(row)

    def facts(self, cycle: str, kind: str) -> list[dict[str, Any]]:
        """Every row of a keyed kind (paper batches, reconciliations, forums…), in log order."""
        with self.store.transaction() as cur:
            rows = cur.execute("SELECT seq, entry_hash, payload FROM proj_cycle_facts WHERE log_id=? AND cycle=?"
                               " AND kind=? ORDER BY seq", (self.log_id, cycle, kind)).fetchall()
        return [_payload(row) for row in rows]

    def first_seq_of_open_votes(self) -> int | None:
        """The smallest seq of a `VotingOpened` whose cycle has no `VotingClosed` yet: where the public log must
        stop while a vote is open (pb_ledger/web/visibility.py)."""
        with self.store.transaction() as cur:
            row = cur.execute("SELECT MIN(o.seq) AS seq FROM proj_cycle_facts o WHERE o.log_id=? AND"
                              " o.kind='voting_opened' AND NOT EXISTS (SELECT 1 FROM proj_cycle_facts c WHERE"
                              " c.log_id=o.log_id AND c.cycle=o.cycle AND c.kind='voting_closed')",
                              (self.log_id,)).fetchone()
        return None if row is None or row["seq"] is None else int(row["seq"])


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    return {**json.loads(row["payload"]), "_seq": int(row["seq"]), "_hash": str(row["entry_hash"])}
