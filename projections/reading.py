"""The read models as the service reads them: brought up to date before each read (read-your-writes).

Two ways to run the projections (`PB_LEDGER_PROJECTIONS`):
- `in-process` (the embedded default): a thread of the service follows the log, and a read that finds the read
  models behind the entries it must see applies them itself first (exactly once, under the view's lock);
- `worker`: separate `pb-ledger projections run` processes follow the log; a read waits, at most `read_wait`
  seconds, until they have applied the entries it must see, else it is refused with `read_model_behind` (never an
  answer that silently misses what the caller just wrote).

The entries a read must see are those in the log when it starts (the head), or up to a given seq: a client that
has just appended entry N can ask to wait for N only (`?after=N`), which does not wait for other people's writes."""

from __future__ import annotations

from pb_ledger.config import Settings
from projections.follow import Follower, open_view
from projections.view import ModelLag, ReadModelsView

MODES = ("in-process", "worker")


class ReadModelBehind(RuntimeError):
    code = "read_model_behind"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReadModels:
    def __init__(self, settings: Settings, log_id: str) -> None:
        self.mode, self.read_wait = settings.projections, settings.read_wait
        self.view: ReadModelsView = open_view(settings, log_id)
        self.view.migrate()
        self.follower: Follower | None = None
        if self.mode == "in-process":
            self.follower = Follower(settings, log_id)
            self.follower.start()

    def ensure_fresh(self, after: int | None = None) -> int:
        """Return once the read models have applied every entry up to `after` (default: the log's head now)."""
        target = self.view.head() if after is None else min(after + 1, self.view.head())
        if self.view.position() >= target:
            return target
        if self.mode == "in-process":
            return self.view.catch_up(until=target)
        try:
            self.view.wait_for(target, self.read_wait)
        except TimeoutError:
            raise ReadModelBehind(f"the read models have not reached entry {target - 1} after {self.read_wait:g} s: "
                                  "is the projection worker running? (pb-ledger projections status)") from None
        return target

    def lag(self) -> list[ModelLag]:
        return self.view.lag()

    def close(self) -> None:
        if self.follower is not None:
            self.follower.stop()
            self.follower.join(5)
        self.view.close()
