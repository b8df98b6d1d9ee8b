"""The read models are rebuilt from the log when a model's version changes, on both stores, to the same rows."""

from __future__ import annotations

from pb_ledger.config import Settings
from pb_ledger.demo import load_demo
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore
from projections.follow import open_view
from projections.queries import CycleQueries


def rows(store: ReadStore, log: str) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    queries = CycleQueries(store, log)
    cycles = queries.cycles()
    return cycles, [p for c in cycles for p in queries.projects(c["cycle"])]


def test_a_new_read_model_version_rebuilds_the_same_rows_from_the_log(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-proj")
    load_demo(Services(ledger), ballots=60)
    store = ReadStore(settings)
    view = open_view(settings, ledger.log_id)
    view.migrate()
    assert view.catch_up() == ledger.head()[0]
    before = rows(store, ledger.log_id)
    assert before[0][0]["phase"] == "results" and before[0][0]["ballots"] == 60
    with store.transaction(write=True) as cur:  # as if the rows had been built by an older version
        cur.execute("UPDATE proj_models SET version=4 WHERE model='cycles'")
    again = open_view(settings, ledger.log_id)
    again.migrate()
    assert again.positions()["cycles"] == 0 and again.positions()["participation"] == ledger.head()[0]
    assert rows(store, ledger.log_id)[0] == []
    again.catch_up()
    assert rows(store, ledger.log_id) == before
