"""Stage 5, follow-up of implementation: milestones of each funded project, attachments by hash, site visits."""

from __future__ import annotations

from typing import Any

from pb_ledger.domain.cycle import IMPLEMENTATION, RESULTS, Cycle, Event, applies, require_amount, require_date
from pb_ledger.domain.cycle import optional_text, require_phase, require_role, require_text
from pb_ledger.domain.text import SENTENCE, TITLE
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.ideas import SHA256_HEX

MILESTONES = ("planned", "procurement", "works-started", "progress", "delayed", "completed", "cancelled")
NEEDS_REASON = ("delayed", "cancelled")
FINAL = ("completed", "cancelled")
FOLLOW_UP = (RESULTS, IMPLEMENTATION, "evaluation")


def _funded(cycle: Cycle, project: str) -> None:
    if project not in cycle.winners:
        raise DomainError("not_funded", f"project {project!r} was not funded in this cycle")


def decide_milestone(cycle: Cycle, project: str, kind: str, date: str, role: str, *, percent: int | None = None,
                     reason: str | None = None, note: str = "") -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, FOLLOW_UP, "recording a milestone")
    _funded(cycle, project)
    if kind not in MILESTONES:
        raise DomainError("invalid_milestone", f"a milestone is one of {', '.join(MILESTONES)}")
    if cycle.progress.get(project) in FINAL:
        raise DomainError("project_finished", f"project {project!r} is already {cycle.progress[project]}")
    payload: dict[str, Any] = {"project": project, "kind": kind, "date": require_date(date, "date"),
                               "note": optional_text(note, "note", SENTENCE, multiline=True) or ""}
    if kind in NEEDS_REASON:
        payload["reason"] = require_text(reason, f"reason the project is {kind}", SENTENCE, multiline=True)
    if kind == "progress":
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise DomainError("invalid_percent", "progress is a whole percentage from 0 to 100")
        payload["percent"] = percent
    return "MilestoneRecorded", payload


def decide_attachment(cycle: Cycle, project: str, sha256: str, media_type: str, title: str, role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, FOLLOW_UP, "attaching a document")
    _funded(cycle, project)
    if not SHA256_HEX.match(sha256 or ""):
        raise DomainError("invalid_hash", "an attachment is named by the SHA-256 of its bytes (64 lowercase hex)")
    if "/" not in (media_type or ""):
        raise DomainError("invalid_media_type", "give the media type, e.g. image/jpeg or application/pdf")
    return "AttachmentAdded", {"project": project, "sha256": sha256, "media_type": media_type,
                               "title": require_text(title, "title", TITLE)}


def decide_visit(cycle: Cycle, visit: str, project: str, date: str, place: str, role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, FOLLOW_UP, "scheduling a site visit")
    _funded(cycle, project)
    if visit in cycle.visits:
        raise DomainError("duplicate_visit", f"visit {visit!r} already exists")
    return "SiteVisitScheduled", {"visit": require_text(visit, "visit id"), "project": project,
                                  "date": require_date(date, "date"), "place": require_text(place, "place")}


def decide_visit_held(cycle: Cycle, visit: str, attendance: int, role: str, note: str = "") -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, FOLLOW_UP, "recording a site visit")
    if visit not in cycle.visits:
        raise DomainError("unknown_visit", f"no visit {visit!r} was scheduled")
    require_amount(attendance, "attendance", positive=False)
    return "SiteVisitHeld", {"visit": visit, "attendance": attendance, "note": note}


@applies("MilestoneRecorded")
def _milestone(c: Cycle, p: dict[str, Any]) -> None:
    c.progress[p["project"]] = p["kind"]


@applies("SiteVisitScheduled")
def _visit(c: Cycle, p: dict[str, Any]) -> None:
    c.visits[p["visit"]] = p["project"]
