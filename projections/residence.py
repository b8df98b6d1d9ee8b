"""Where a ballot token's resident lives: the district under which the register published the token
(`BallotTokensPublished.district`, log-format §5.3), read from the log itself.

A register holds one token per eligible resident — several times more tokens than ballots — so copying it into a
table would cost a rebuild more than all its ballots. Instead the tokens' districts are kept in memory for the last
few cycles a process has seen: filled as the register's entries are applied, or, when a process meets a ballot of a
cycle it holds nothing for (after a restart), read back from the cycle's register entries in the log (the entries
before the batch being applied, so the answer is the same whenever it is asked: a register cannot change once the
vote has opened)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import orjson

from projections.model import Batch

KEPT_CYCLES = 2  # the registers kept in memory (a million tokens take about 150 MB)
REGISTER_TYPES = ("VoterRegisterPublished", "BallotTokensPublished")


class Residence:
    def __init__(self) -> None:
        self._districts: OrderedDict[tuple[str, str], dict[str, str]] = OrderedDict()
        self._lock = threading.Lock()

    def new_register(self, log: str, cycle: str) -> None:
        """A register replaces the cycle's earlier one."""
        self._keep((log, cycle), {})

    def add(self, b: Batch, cycle: str, seq: int, tokens: list[str], district: str) -> None:
        self.districts(b, cycle, before=seq).update(dict.fromkeys(tokens, district))

    def districts(self, b: Batch, cycle: str, before: int) -> dict[str, str]:
        """Token -> district of the cycle's register as the entries before `before` publish it."""
        with self._lock:
            found = self._districts.get((b.log, cycle))
            if found is not None:
                self._districts.move_to_end((b.log, cycle))
                return found
        return self._keep((b.log, cycle), _read_register(b, cycle, before))

    def _keep(self, key: tuple[str, str], districts: dict[str, str]) -> dict[str, str]:
        with self._lock:
            self._districts[key] = districts
            self._districts.move_to_end(key)
            while len(self._districts) > KEPT_CYCLES:
                self._districts.popitem(last=False)
        return districts


def _read_register(b: Batch, cycle: str, before: int) -> dict[str, str]:
    districts: dict[str, str] = {}
    rows = b.cur.execute("SELECT entry FROM ledger_entries WHERE log_id=? AND cycle=? AND type IN (?, ?) AND seq<?"
                         " ORDER BY seq", (b.log, cycle, *REGISTER_TYPES, before)).fetchtuples()
    for (entry,) in rows:
        parsed = orjson.loads(entry)
        payload = parsed["payload"]
        if parsed["type"] == "VoterRegisterPublished":
            districts.clear()
        elif "district" in payload:
            districts.update(dict.fromkeys(payload["tokens"], payload["district"]))
    return districts
