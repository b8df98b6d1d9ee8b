"""The cycles read model is rebuilt from the log when its version changes, on both stores, to the same rows."""

from __future__ import annotations

from pb_ledger.config import Settings
from pb_ledger.demo import load_demo
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore
from projections.cycles import CyclesProjection
from projections.queries import CycleQueries


def rows(store: ReadStore, log: str) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    queries = CycleQueries(store, log)
    cycles = queries.cycles()
    return cycles, [p for c in cycles for p in queries.projects(c["cycle"])]


def test_a_new_read_model_version_rebuilds_the_same_rows_from_the_log(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-proj")
    load_demo(Services(ledger), ballots=60)
    store = ReadStore(settings)
    projection = CyclesProjection(store, ledger.log_id)
    projection.migrate()
    projection.catch_up()
    before = rows(store, ledger.log_id)
    assert before[0][0]["phase"] == "results" and before[0][0]["ballots"] == 60
    with store.transaction(write=True) as cur:  # as if the rows had been built by an older version
        cur.execute("UPDATE proj_positions SET name='cycles/v0' WHERE log_id=?", (ledger.log_id,))
    again = CyclesProjection(store, ledger.log_id)
    again.migrate()
    again.catch_up()
    assert rows(store, ledger.log_id) == before
