"""Live participation: how many ballots have been cast so far, by channel and by district, and how many residents
are eligible (the register's counts). It never counts votes per project: those are known only from the announced
results, after the vote closes.

A ballot's district is the one it names (a vote by district), else the district under which the register published
its token, else none (''). Under re-voting (`revoting` in the rules) a resident's later ballot replaces the earlier
one: `ballots` counts every ballot cast, `counted` only each resident's last, in the channel and district of that
last ballot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.model import Batch, Entry, Handler, Part, ReadModel

LOOKUP_CHUNK = 500  # tokens per `IN (…)` look-up (SQLite allows 999 parameters)

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS proj_participation (log_id TEXT NOT NULL, cycle TEXT NOT NULL,"
    " channel TEXT NOT NULL, district TEXT NOT NULL, ballots BIGINT NOT NULL, counted BIGINT NOT NULL,"
    " PRIMARY KEY (log_id, cycle, channel, district))",
    "CREATE TABLE IF NOT EXISTS proj_vote_settings (log_id TEXT NOT NULL, cycle TEXT NOT NULL,"
    " revoting INTEGER NOT NULL, PRIMARY KEY (log_id, cycle))",
    "CREATE TABLE IF NOT EXISTS proj_register (log_id TEXT NOT NULL, cycle TEXT NOT NULL, district TEXT NOT NULL,"
    " eligible BIGINT NOT NULL, PRIMARY KEY (log_id, cycle, district))",
    "CREATE TABLE IF NOT EXISTS proj_register_tokens (log_id TEXT NOT NULL, cycle TEXT NOT NULL, token TEXT NOT NULL,"
    " district TEXT NOT NULL, PRIMARY KEY (log_id, cycle, token))",
    "CREATE TABLE IF NOT EXISTS proj_last_ballots (log_id TEXT NOT NULL, cycle TEXT NOT NULL, token TEXT NOT NULL,"
    " channel TEXT NOT NULL, district TEXT NOT NULL, PRIMARY KEY (log_id, cycle, token))",
]

Key = tuple[str, str]  # (channel, district)


class ParticipationPart(Part):
    schema = SCHEMA
    tables = ("proj_participation", "proj_vote_settings", "proj_register", "proj_register_tokens",
              "proj_last_ballots")

    def handlers(self) -> dict[str, Handler]:
        return {"BallotCast": self.ballot, "RulesFixed": self.rules, "VoterRegisterPublished": self.register,
                "BallotTokensPublished": self.tokens}

    def ballot(self, b: Batch, e: Entry) -> None:
        p = e.payload
        b.pending.setdefault(e.cycle, []).append((p["channel"], p.get("district"), p.get("token")))

    def rules(self, b: Batch, e: Entry) -> None:
        self.flush(b)
        b.cur.execute("DELETE FROM proj_vote_settings WHERE log_id=? AND cycle=?", (b.log, e.cycle))
        b.cur.execute("INSERT INTO proj_vote_settings (log_id, cycle, revoting) VALUES (?, ?, ?)",
                      (b.log, e.cycle, int("revoting" in e.payload)))

    def register(self, b: Batch, e: Entry) -> None:
        """A register replaces the one published before it (log-format §5.3)."""
        self.flush(b)
        for table in ("proj_register", "proj_register_tokens"):
            b.cur.execute(f"DELETE FROM {table} WHERE log_id=? AND cycle=?", (b.log, e.cycle))  # noqa: S608
        counts = [("", e.payload["count"]), *e.payload["districts"].items()]
        b.cur.executemany("INSERT INTO proj_register (log_id, cycle, district, eligible) VALUES (?, ?, ?, ?)",
                          [(b.log, e.cycle, district, n) for district, n in counts])

    def tokens(self, b: Batch, e: Entry) -> None:
        district = e.payload.get("district")
        if district is not None:  # only a district is looked up by token; tokens without one need no row
            b.cur.executemany("INSERT INTO proj_register_tokens (log_id, cycle, token, district) VALUES (?, ?, ?, ?)",
                              [(b.log, e.cycle, t, district) for t in e.payload["tokens"]])

    def flush(self, b: Batch) -> None:
        for cycle, ballots in b.pending.items():
            self._count(b, cycle, ballots)
        b.pending.clear()

    def _count(self, b: Batch, cycle: str, ballots: list[tuple[str, str | None, str | None]]) -> None:
        tokens = sorted({t for _, district, t in ballots if t is not None})
        districts = _lookup(b, "SELECT token, district FROM proj_register_tokens", cycle, tokens)
        cast: dict[Key, int] = {}
        counted: dict[Key, int] = {}
        revoting = _revoting(b, cycle)
        last: dict[str, Key] = {}
        if revoting:
            last = {r["token"]: (r["channel"], r["district"]) for r in _lookup(
                b, "SELECT token, channel, district FROM proj_last_ballots", cycle, tokens).values()}
        changed: dict[str, Key] = {}
        for channel, district, token in ballots:
            key = (channel, district if district is not None else districts.get(token, {}).get("district", ""))
            cast[key] = cast.get(key, 0) + 1
            counted[key] = counted.get(key, 0) + 1
            if revoting and token is not None:
                if token in last:  # this resident's earlier ballot no longer counts
                    counted[last[token]] = counted.get(last[token], 0) - 1
                last[token] = changed[token] = key
        _add_counts(b, cycle, cast, counted)
        if changed:
            _remember_last(b, cycle, changed)


def _revoting(b: Batch, cycle: str) -> bool:
    row = b.cur.execute("SELECT revoting FROM proj_vote_settings WHERE log_id=? AND cycle=?",
                        (b.log, cycle)).fetchone()
    return bool(row and row["revoting"])


def _lookup(b: Batch, select: str, cycle: str, tokens: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Rows by token, for the tokens of a batch, in chunks of `LOOKUP_CHUNK`."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(tokens), LOOKUP_CHUNK):
        chunk = tokens[start:start + LOOKUP_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in b.cur.execute(f"{select} WHERE log_id=? AND cycle=? AND token IN ({marks})",
                                 (b.log, cycle, *chunk)).fetchall():
            found[row["token"]] = row
    return found


def _add_counts(b: Batch, cycle: str, cast: dict[Key, int], counted: dict[Key, int]) -> None:
    b.cur.executemany(
        "INSERT INTO proj_participation (log_id, cycle, channel, district, ballots, counted) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (log_id, cycle, channel, district) DO UPDATE SET ballots=proj_participation.ballots+"
        "excluded.ballots, counted=proj_participation.counted+excluded.counted",
        [(b.log, cycle, channel, district, n, counted[(channel, district)]) for (channel, district), n in cast.items()]
        + [(b.log, cycle, channel, district, 0, n) for (channel, district), n in counted.items()
           if (channel, district) not in cast])


def _remember_last(b: Batch, cycle: str, changed: dict[str, Key]) -> None:
    b.cur.executemany(
        "INSERT INTO proj_last_ballots (log_id, cycle, token, channel, district) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (log_id, cycle, token) DO UPDATE SET channel=excluded.channel, district=excluded.district",
        [(b.log, cycle, token, channel, district) for token, (channel, district) in changed.items()])


class ParticipationModel(ReadModel):
    name = "participation"
    version = 1

    def __init__(self) -> None:
        super().__init__([ParticipationPart()])
