"""Stage 1, ideas: submitted online, on paper (typed in by staff) or at a citizen forum; merged when duplicates.

An author's contact details are personal data: they never enter the log. The log holds only a salted commitment to
them (computed by the service, which keeps the data and the salt in an erasable store)."""

from __future__ import annotations

import re
from typing import Any

from pb_ledger.domain.cycle import IDEAS, Cycle, Event, Idea, applies, require_amount, require_date, require_idea
from pb_ledger.domain.cycle import optional_text, require_phase, require_role, require_text
from pb_ledger.domain.text import DOCUMENT, SENTENCE, TITLE
from pb_ledger.domain.errors import DomainError

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
CHANNEL_ROLES = {"online": ("citizen",), "paper": ("clerk", "pb-team"), "forum": ("pb-team",),
                 "import": ("importer",), "carried": ("pb-team",)}


def decide_submit(cycle: Cycle, idea: str, title: str, description: str, channel: str, role: str, *,
                  district: str | None = None, category: str | None = None, location: str | None = None,
                  estimated_cost: int | None = None, paper_form: dict[str, str] | None = None,
                  forum: str | None = None, author_commitment: str | None = None,
                  carried_from: dict[str, str] | None = None) -> Event:
    if channel not in CHANNEL_ROLES:
        raise DomainError("invalid_channel", f"channel must be one of {', '.join(CHANNEL_ROLES)}")
    require_role(role, *CHANNEL_ROLES[channel])
    require_phase(cycle, IDEAS, "submitting an idea")
    require_text(idea, "idea id")
    title = require_text(title, "title", TITLE)
    description = optional_text(description, "description", DOCUMENT, multiline=True) or ""
    district, category = optional_text(district, "district"), optional_text(category, "category")
    location = optional_text(location, "location")
    if idea in cycle.ideas:
        raise DomainError("duplicate_idea", f"an idea with id {idea!r} already exists in this cycle")
    if estimated_cost is not None:
        require_amount(estimated_cost, "estimated cost", positive=False)
    if district is not None and cycle.envelopes and district not in cycle.envelopes:
        raise DomainError("unknown_district", f"district {district!r} has no envelope in this cycle")
    payload: dict[str, Any] = {"idea": idea, "title": title, "description": description, "channel": channel,
                               "district": district, "category": category, "estimated_cost": estimated_cost}
    if location:
        payload["location"] = location
    payload.update(_channel_details(cycle, channel, paper_form, forum))
    if channel == "carried":
        if not carried_from or cycle.previous_cycle != carried_from.get("cycle"):
            raise DomainError("invalid_carry", "a carried idea comes from the cycle this one was opened from")
        payload["carried_from"] = {"cycle": carried_from["cycle"], "idea": carried_from["idea"]}
    if author_commitment is not None:
        if not SHA256_HEX.match(author_commitment):
            raise DomainError("invalid_commitment", "an author commitment is 64 lowercase hex characters")
        payload["author"] = author_commitment
    return "IdeaSubmitted", payload


def _channel_details(cycle: Cycle, channel: str, paper_form: dict[str, str] | None,
                     forum: str | None) -> dict[str, Any]:
    if channel == "paper":
        number = optional_text(str((paper_form or {}).get("number", "")), "paper form number")
        if not paper_form or number is None:
            raise DomainError("paper_form_required", "a paper idea needs the number of its paper form")
        scan = paper_form.get("scan_sha256", "")
        if not SHA256_HEX.match(scan):
            raise DomainError("scan_hash_required", "a paper idea needs the SHA-256 of its scanned page (64 hex)")
        return {"paper_form": {"number": number, "scan_sha256": scan}}
    if channel == "forum":
        if forum not in cycle.forums:
            raise DomainError("unknown_forum", f"no forum {forum!r} was recorded in this cycle")
        return {"forum": forum}
    return {}


def decide_forum(cycle: Cycle, forum: str, date: str, place: str, attendance: int, role: str) -> Event:
    require_role(role, "pb-team")
    require_phase(cycle, IDEAS, "recording a citizen forum")
    if forum in cycle.forums:
        raise DomainError("duplicate_forum", f"forum {forum!r} is already recorded")
    require_amount(attendance, "attendance", positive=False)
    return "ForumHeld", {"forum": require_text(forum, "forum id"), "date": require_date(date, "forum date"),
                         "place": require_text(place, "place"), "attendance": attendance}


def decide_merge(cycle: Cycle, into: str, merged: list[str], reason: str, role: str) -> Event:
    require_role(role, "committee")
    require_phase(cycle, ("ideas", "review"), "merging duplicate ideas")
    target = require_idea(cycle, into)
    if target.status in ("rejected", "merged") or not merged or into in merged:
        raise DomainError("invalid_merge", "name one or more other ideas still under study, merged into an idea that is "
                                           "neither rejected nor merged itself")
    for idea in merged:
        if require_idea(cycle, idea).status != "submitted":
            raise DomainError("invalid_merge", f"idea {idea!r} has already been decided or merged")
    return "IdeasMerged", {"into": into, "merged": list(merged), "reason": require_text(reason, "reason", SENTENCE)}


def decide_author_erased(cycle: Cycle, idea: str, role: str) -> Event:
    require_role(role, "pb-team")
    if not require_idea(cycle, idea).has_author:
        raise DomainError("no_author_data", f"idea {idea!r} holds no author data")
    return "AuthorDataErased", {"idea": idea}


@applies("IdeaSubmitted")
def _submitted(c: Cycle, p: dict[str, Any]) -> None:
    c.ideas[p["idea"]] = Idea(title=p["title"], channel=p["channel"], district=p.get("district"),
                              has_author="author" in p)


@applies("ForumHeld")
def _forum(c: Cycle, p: dict[str, Any]) -> None:
    c.forums.add(p["forum"])


@applies("IdeasMerged")
def _merged(c: Cycle, p: dict[str, Any]) -> None:
    for idea in p["merged"]:
        c.ideas[idea].status = "merged"


@applies("AuthorDataErased")
def _erased(c: Cycle, p: dict[str, Any]) -> None:
    c.ideas[p["idea"]].has_author = False
