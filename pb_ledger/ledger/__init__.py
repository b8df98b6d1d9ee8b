"""The signed, hash-chained log (docs/log-format.md), persisted through the eventsourcing library."""
