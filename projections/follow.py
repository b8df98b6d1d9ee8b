"""Keeping the read models up with the log: in a worker process (production) or a thread of the service (embedded).

- **PostgreSQL**: eventsourcing's `ProjectionRunner` subscribes to the log's application (`LedgerReader`, the events
  table the log's recorder writes) with the library's LISTEN/NOTIFY subscription, and hands each new event to
  `LogFollower`, whose view (`projections/view.py`) then applies the log's entries up to the head, in batches. An
  event is only the signal that something was committed: positions are the log's `seq` (see view.py for why), and
  an event already covered by an earlier catch-up costs nothing.
- **SQLite** has no subscription (the library's SQLite recorder does not offer one): the follower polls."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import structlog
from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory, Mapper, Tracking
from eventsourcing.projection import BaseProjectionRunner, Projection, ProjectionRunner

from pb_ledger.config import Settings, check_log_id
from pb_ledger.ledger.events import LedgerMapper
from projections.view import UPSTREAM, PostgresReadModels, ReadModelsView, SQLiteReadModels

log = structlog.get_logger()
POLL_INTERVAL = 0.5  # seconds between two looks at an SQLite log


class LedgerReader(Application[UUID]):
    """The log's eventsourcing application, opened to be followed (never to write: it has no signing keys)."""

    name = UPSTREAM

    def construct_mapper(self) -> Mapper[UUID]:
        return LedgerMapper()


class LogFollower(Projection[ReadModelsView]):
    """Each new event of the log's application brings the read models up to the log's head."""

    name = "pbledger_projections"  # also names the tracking table on PostgreSQL: pbledger_projections_tracking

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.follow(tracking.notification_id)


def view_class(settings: Settings, log_id: str, interrupt: threading.Event | None = None) -> type[ReadModelsView]:
    base: type[ReadModelsView] = PostgresReadModels if settings.uses_postgres else SQLiteReadModels
    return type(base.__name__, (base,), {"log_id": check_log_id(log_id), "interrupt": interrupt})


def open_view(settings: Settings, log_id: str, interrupt: threading.Event | None = None) -> ReadModelsView:
    """The view of one log, built as `ProjectionRunner` builds it (same environment, same tracking table)."""
    settings.check_database()
    env = BaseProjectionRunner._construct_env(name=LogFollower.name, env=settings.eventsourcing_env())  # noqa: SLF001
    factory: Any = InfrastructureFactory.construct(env=env)
    return factory.tracking_recorder(view_class(settings, log_id, interrupt))  # type: ignore[no-any-return]


class Follower:
    """Follows one log until stopped: `run()` blocks (a worker), `start()` runs it in a thread (the service)."""

    def __init__(self, settings: Settings, log_id: str, poll_interval: float = POLL_INTERVAL) -> None:
        self.settings, self.log_id, self.poll_interval = settings, log_id, poll_interval
        self._stop = threading.Event()
        self._runner: ProjectionRunner[Any, Any] | None = None
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        log.info("projection_follower_started", log=self.log_id,
                 mode="subscription" if self.settings.uses_postgres else "polling")
        if self.settings.uses_postgres:
            self._subscribe()
        else:
            self._poll()
        log.info("projection_follower_stopped", log=self.log_id)

    def _subscribe(self) -> None:
        with ProjectionRunner(application_class=LedgerReader, projection_class=LogFollower,
                              view_class=view_class(self.settings, self.log_id, self._stop),
                              env=self.settings.eventsourcing_env()) as runner:
            self._runner = runner
            if self._stop.is_set():
                runner.stop()
            runner.run_forever()

    def _poll(self) -> None:
        view = open_view(self.settings, self.log_id, self._stop)
        try:
            while not self._stop.is_set():
                view.catch_up()
                self._stop.wait(self.poll_interval)
        finally:
            view.close()

    def stop(self) -> None:
        self._stop.set()
        if self._runner is not None:
            self._runner.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run_in_thread, name=f"projections {self.log_id}", daemon=True)
        self._thread.start()

    def _run_in_thread(self) -> None:
        try:
            self.run()
        except BaseException as e:  # noqa: BLE001 - reported; the service still catches up before each read
            self.error = e
            log.error("projection_follower_failed", log=self.log_id, error=repr(e))

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
