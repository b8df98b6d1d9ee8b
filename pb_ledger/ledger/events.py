"""The envelope that carries a domain event through eventsourcing, and its mapping to stored bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent
from eventsourcing.utils import get_topic

from pb_ledger.ledger.canonical import canonical_json

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class LedgerEvent(DomainEvent):
    """One event of the log before it is sealed: type, cycle, actor and payload (docs/log-format.md §2)."""

    type: str
    cycle: str | None
    actor_role: str
    actor_ref: str
    payload: dict[str, Any]

    def body(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "cycle": self.cycle,
            "time": format_time(self.timestamp),
            "actor": {"role": self.actor_role, "ref": self.actor_ref},
            "payload": self.payload,
        }


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


class LedgerMapper(Mapper[UUID]):
    """Stores an event as the canonical JSON of its body; the recorder seals that body into an entry."""

    topic = get_topic(LedgerEvent)

    def __init__(self) -> None:
        super().__init__(transcoder=JSONTranscoder())

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        assert isinstance(domain_event, LedgerEvent)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=self.topic,
            state=canonical_json(domain_event.body()),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        body = json.loads(stored_event.state)
        originator_id = stored_event.originator_id
        return LedgerEvent(
            originator_id=originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id)),
            originator_version=stored_event.originator_version,
            timestamp=parse_time(body["time"]),
            type=body["type"],
            cycle=body["cycle"],
            actor_role=body["actor"]["role"],
            actor_ref=body["actor"]["ref"],
            payload=body["payload"],
        )
