"""The read models' lag as Prometheus metrics, read from the database at each scrape, so the service's `/metrics`
tells the truth about projections that run in other processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from projections.view import ModelLag


class LagCollector(Collector):
    def __init__(self, log_id: str, lag: Callable[[], list[ModelLag]]) -> None:
        self.log_id, self._lag = log_id, lag

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lags = self._lag()
        head = GaugeMetricFamily("pb_ledger_log_entries", "Entries in the log", labels=["log"])
        head.add_metric([self.log_id], lags[0].head if lags else 0)
        yield head
        families: tuple[tuple[str, str, Callable[[ModelLag], float]], ...] = (
            ("pb_ledger_projection_position", "Entries the read model has applied", lambda m: m.position),
            ("pb_ledger_projection_lag_entries", "Entries in the log the read model has not applied yet",
             lambda m: m.entries),
            ("pb_ledger_projection_lag_seconds", "Age of the oldest entry the read model has not applied (0 when "
             "it is up to date)", lambda m: m.seconds),
        )
        for name, documentation, value in families:
            family = GaugeMetricFamily(name, documentation, labels=["log", "projection"])
            for model in lags:
                family.add_metric([self.log_id, model.model], value(model))
            yield family


def lag_registry(log_id: str, lag: Callable[[], list[ModelLag]]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(LagCollector(log_id, lag))
    return registry
