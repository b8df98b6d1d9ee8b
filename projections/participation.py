"""Live participation: how many ballots have been cast so far, by channel and by district, and how many residents
are eligible (the register's counts). It never counts votes per project: those are known only from the announced
results, after the vote closes.

A ballot's district is the one it names (a vote by district), else the district under which the register published
its token (projections/residence.py), else none (''). Under re-voting (`revoting` in the rules) a resident's later ballot replaces the earlier
one: `ballots` counts every ballot cast, `counted` only each resident's last, in the channel and district of that
last ballot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from projections.model import Batch, BulkHandler, Entry, Handler, Part, ReadModel
from projections.residence import Residence

LOOKUP_CHUNK = 500  # tokens per `IN (…)` look-up (SQLite allows 999 parameters)

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_participation (log_id TEXT NOT NULL, cycle TEXT NOT NULL,"
    " channel TEXT NOT NULL, district TEXT NOT NULL, ballots BIGINT NOT NULL, counted BIGINT NOT NULL,"
    " PRIMARY KEY (log_id, cycle, channel, district))",
    "CREATE TABLE IF NOT EXISTS proj_vote_settings (log_id TEXT NOT NULL, cycle TEXT NOT NULL,"
    " revoting INTEGER NOT NULL, PRIMARY KEY (log_id, cycle))",
    "CREATE TABLE IF NOT EXISTS proj_register (log_id TEXT NOT NULL, cycle TEXT NOT NULL, district TEXT NOT NULL,"
    " eligible BIGINT NOT NULL, PRIMARY KEY (log_id, cycle, district))",
    "CREATE TABLE IF NOT EXISTS proj_eligible (log_id TEXT NOT NULL, cycle TEXT NOT NULL, eligible BIGINT NOT NULL,"
    " refused_lines BIGINT NOT NULL, PRIMARY KEY (log_id, cycle))",
    "CREATE TABLE IF NOT EXISTS proj_last_ballots (log_id TEXT NOT NULL, cycle TEXT NOT NULL, token TEXT NOT NULL,"
    " channel TEXT NOT NULL, district TEXT NOT NULL, PRIMARY KEY (log_id, cycle, token)){without_rowid}",
]

Key = tuple[str, str]  # (channel, district)


class ParticipationPart(Part):
    schema = SCHEMA
    tables = ("proj_participation", "proj_vote_settings", "proj_register", "proj_eligible", "proj_last_ballots")

    def __init__(self) -> None:
        self.residence = Residence()

    def handlers(self) -> dict[str, Handler]:
        return {"RulesFixed": self.rules, "VoterRegisterPublished": self.register, "BallotTokensPublished": self.tokens}

    def bulk_handlers(self) -> dict[str, BulkHandler]:
        return {"BallotCast": self.ballots}

    def ballots(self, b: Batch, run: list[Entry]) -> None:
        for e in run:
            p = e.payload
            b.pending.setdefault(e.cycle, (e.seq, []))[1].append((p["channel"], p.get("district"), p.get("token")))

    def rules(self, b: Batch, e: Entry) -> None:
        self.flush(b)
        b.cur.execute("DELETE FROM proj_vote_settings WHERE log_id=? AND cycle=?", (b.log, e.cycle))
        b.cur.execute("INSERT INTO proj_vote_settings (log_id, cycle, revoting) VALUES (?, ?, ?)",
                      (b.log, e.cycle, int("revoting" in e.payload)))

    def register(self, b: Batch, e: Entry) -> None:
        """A register replaces the one published before it (log-format §5.3)."""
        self.flush(b)
        self.residence.new_register(b.log, e.cycle)  # type: ignore[arg-type]
        for table in ("proj_register", "proj_eligible"):
            b.cur.execute(f"DELETE FROM {table} WHERE log_id=? AND cycle=?", (b.log, e.cycle))  # noqa: S608
        b.cur.execute("INSERT INTO proj_eligible (log_id, cycle, eligible, refused_lines) VALUES (?, ?, ?, ?)",
                      (b.log, e.cycle, e.payload["count"], e.payload["refused_lines"]))
        b.cur.executemany("INSERT INTO proj_register (log_id, cycle, district, eligible) VALUES (?, ?, ?, ?)",
                          [(b.log, e.cycle, district, n) for district, n in e.payload["districts"].items()])

    def tokens(self, b: Batch, e: Entry) -> None:
        if "district" in e.payload:  # tokens without a district need not be remembered
            self.residence.add(b, e.cycle, e.seq, e.payload["tokens"], e.payload["district"])  # type: ignore[arg-type]

    def flush(self, b: Batch) -> None:
        for cycle, (before, ballots) in b.pending.items():
            self._count(b, cycle, before, ballots)
        b.pending.clear()

    def _count(self, b: Batch, cycle: str, before: int, ballots: list[tuple[str, str | None, str | None]]) -> None:
        needs_residence = any(district is None and token is not None for _, district, token in ballots)
        districts = self.residence.districts(b, cycle, before) if needs_residence else {}
        keys = [(channel, district if district is not None else districts.get(token, ""))  # type: ignore[arg-type]
                for channel, district, token in ballots]
        cast = Counter(keys)
        counted = Counter(cast)
        if _revoting(b, cycle):
            self._replace_earlier(b, cycle, [t for _, _, t in ballots], keys, counted)
        _add_counts(b, cycle, cast, counted)

    def _replace_earlier(self, b: Batch, cycle: str, tokens: list[str | None], keys: list[Key],
                         counted: Counter[Key]) -> None:
        """Re-voting: each resident's earlier ballot (in this batch or before it) stops counting."""
        known = sorted({t for t in tokens if t is not None})
        last: dict[str, Key] = {row[0]: (row[1], row[2]) for row in _lookup(
            b, "SELECT token, channel, district FROM proj_last_ballots", cycle, known)}
        changed: dict[str, Key] = {}
        for token, key in zip(tokens, keys):
            if token is None:
                continue
            if token in last:
                counted[last[token]] -= 1
            last[token] = changed[token] = key
        if changed:
            _remember_last(b, cycle, changed)


def _revoting(b: Batch, cycle: str) -> bool:
    row = b.cur.execute("SELECT revoting FROM proj_vote_settings WHERE log_id=? AND cycle=?",
                        (b.log, cycle)).fetchone()
    return bool(row and row["revoting"])


def _lookup(b: Batch, select: str, cycle: str, tokens: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of the given tokens, in chunks of `LOOKUP_CHUNK`."""
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(tokens), LOOKUP_CHUNK):
        chunk = tokens[start:start + LOOKUP_CHUNK]
        marks = ", ".join("?" * len(chunk))
        found += b.cur.execute(f"{select} WHERE log_id=? AND cycle=? AND token IN ({marks})",
                               (b.log, cycle, *chunk)).fetchtuples()
    return found


def _add_counts(b: Batch, cycle: str, cast: Counter[Key], counted: Counter[Key]) -> None:
    b.cur.executemany(
        "INSERT INTO proj_participation (log_id, cycle, channel, district, ballots, counted) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (log_id, cycle, channel, district) DO UPDATE SET ballots=proj_participation.ballots+"
        "excluded.ballots, counted=proj_participation.counted+excluded.counted",
        [(b.log, cycle, channel, district, n, counted.pop((channel, district))) for (channel, district), n in cast.items()]
        + [(b.log, cycle, channel, district, 0, n) for (channel, district), n in counted.items()])


def _remember_last(b: Batch, cycle: str, changed: dict[str, Key]) -> None:
    b.cur.executemany(
        "INSERT INTO proj_last_ballots (log_id, cycle, token, channel, district) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (log_id, cycle, token) DO UPDATE SET channel=excluded.channel, district=excluded.district",
        [(b.log, cycle, token, channel, district) for token, (channel, district) in changed.items()])


class ParticipationModel(ReadModel):
    name = "participation"
    version = 3  # 1 kept the register's tokens in a table; 2 kept the register's total as district ''""

    def __init__(self) -> None:
        super().__init__([ParticipationPart()])
