"""Stage 1, launch: the council's decision, the budget and its envelopes, the PB team, the timeline and its phase
transitions, the eligibility criteria and the communication campaign."""

from __future__ import annotations

from typing import Any

from pb_ledger.domain.cycle import (
    BEFORE_VOTE, CLOSED, EVALUATION, IDEAS, IMPLEMENTATION, LAUNCH, PHASES, RESULTS, REVIEW, Cycle, Event, applies,
    optional_text, require_amount, require_date, require_exists, require_phase, require_role, require_text,
)
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.text import SENTENCE, TITLE

STAFF = ("pb-team", "importer")
# the transitions a PhaseStarted may make; vote, counting and results are entered by their own commands
TRANSITIONS = {LAUNCH: IDEAS, IDEAS: REVIEW, RESULTS: IMPLEMENTATION, IMPLEMENTATION: EVALUATION, EVALUATION: CLOSED}
TIMELINE_PHASES = ("ideas", "review", "vote", "results", "implementation", "evaluation")
TEAM_ROLES = ("coordinator", "member", "communication", "technical", "finance", "legal")


def decide_create(title: str, amount: int, currency: str, exponent: int, source: dict[str, Any] | None,
                  role: str = "pb-team", previous_cycle: str | None = None) -> Event:
    require_role(role, *STAFF)
    title = require_text(title, "title", TITLE)
    require_amount(amount, "budget")
    if not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        raise DomainError("invalid_currency", f"currency {currency!r} is not an ISO 4217 code such as MAD or EUR")
    if exponent not in (0, 2, 3):
        raise DomainError("invalid_currency", "the number of minor-unit digits must be 0, 2 or 3")
    payload: dict[str, Any] = {"title": title, "budget": {"amount": amount, "currency": currency,
                                                          "exponent": exponent}, "source": source}
    if previous_cycle is not None:
        payload["previous_cycle"] = previous_cycle
    return "CycleCreated", payload


def decide_council_decision(cycle: Cycle, reference: str, date: str, summary: str, role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, BEFORE_VOTE, "recording the council's decision")
    return "CouncilDecisionRecorded", {"reference": require_text(reference, "deliberation reference"),
                                       "date": require_date(date, "deliberation date"),
                                       "summary": optional_text(summary, "summary", SENTENCE, multiline=True) or ""}


def decide_envelopes(cycle: Cycle, envelopes: dict[str, int], role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, BEFORE_VOTE, "setting district envelopes")
    for district, amount in envelopes.items():
        if require_text(district, "district") != district:
            raise DomainError("invalid_text", f"district {district!r} must be written without surrounding spaces")
        require_amount(amount, f"envelope of {district}")
    if sum(envelopes.values()) > cycle.budget["amount"]:
        raise DomainError("envelopes_exceed_budget", "the district envelopes add up to more than the budget")
    return "DistrictEnvelopesSet", {"envelopes": dict(envelopes)}


def decide_team_member(cycle: Cycle, member: str, name: str, team_role: str, role: str) -> Event:
    require_role(role, *STAFF)
    require_exists(cycle)
    if team_role not in TEAM_ROLES:
        raise DomainError("invalid_team_role", f"team role must be one of {', '.join(TEAM_ROLES)}")
    return "TeamMemberAdded", {"member": require_text(member, "member reference"),
                               "name": require_text(name, "member name"), "role": team_role}


def decide_timeline(cycle: Cycle, phases: dict[str, tuple[str, str]], role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, BEFORE_VOTE, "setting the timeline")
    unknown = set(phases) - set(TIMELINE_PHASES)
    if unknown:
        raise DomainError("invalid_phase", f"unknown phase {sorted(unknown)[0]!r}; phases: {', '.join(TIMELINE_PHASES)}")
    rows, previous_end = [], ""
    for phase in TIMELINE_PHASES:
        if phase not in phases:
            continue
        start, end = (require_date(d, f"{phase} date") for d in phases[phase])
        if end < start or start < previous_end:
            raise DomainError("invalid_timeline", f"the {phase} phase must start after the previous one and end "
                                                  "after it starts")
        rows.append({"phase": phase, "start": start, "end": end})
        previous_end = end
    return "TimelineSet", {"phases": rows}


def decide_start_phase(cycle: Cycle, phase: str, role: str) -> Event:
    require_role(role, *STAFF)
    require_exists(cycle)
    if phase not in PHASES:
        raise DomainError("invalid_phase", f"unknown phase {phase!r}")
    if TRANSITIONS.get(cycle.phase) != phase:
        raise DomainError("invalid_transition", f"the cycle cannot go from {cycle.phase} to {phase}")
    if phase == REVIEW and not cycle.ideas:
        raise DomainError("no_ideas", "no idea was submitted: the study of ideas cannot start")
    return "PhaseStarted", {"phase": phase}


def decide_criteria(cycle: Cycle, criteria: dict[str, str], role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, (LAUNCH, IDEAS), "setting the eligibility criteria")
    if not criteria:
        raise DomainError("no_criteria", "give at least one criterion")
    rows = [{"id": require_text(key, "criterion id"), "label": require_text(label, f"label of criterion {key}",
                                                                           SENTENCE)} for key, label in criteria.items()]
    if len({row["id"] for row in rows}) != len(rows):
        raise DomainError("invalid_text", "two criteria have the same id")
    return "EligibilityCriteriaSet", {"criteria": rows}


def decide_campaign(cycle: Cycle, channel: str, start: str, end: str, description: str, role: str) -> Event:
    require_role(role, *STAFF)
    require_phase(cycle, BEFORE_VOTE + ("vote",), "recording a communication action")
    start, end = require_date(start, "start date"), require_date(end, "end date")
    if end < start:
        raise DomainError("dates_out_of_order", "the campaign action must end on or after the day it starts")
    return "CampaignActionRecorded", {"channel": require_text(channel, "channel"), "start": start, "end": end,
                                      "description": optional_text(description, "description", SENTENCE,
                                                                   multiline=True) or ""}


@applies("CycleCreated")
def _created(c: Cycle, p: dict[str, Any]) -> None:
    c.title, c.budget, c.phase = p["title"], p["budget"], LAUNCH
    c.previous_cycle = p.get("previous_cycle")


@applies("DistrictEnvelopesSet")
def _envelopes(c: Cycle, p: dict[str, Any]) -> None:
    c.envelopes = dict(p["envelopes"])


@applies("TeamMemberAdded")
def _team(c: Cycle, p: dict[str, Any]) -> None:
    c.team[p["member"]] = p["role"]


@applies("EligibilityCriteriaSet")
def _criteria(c: Cycle, p: dict[str, Any]) -> None:
    c.criteria = {row["id"]: row["label"] for row in p["criteria"]}


@applies("PhaseStarted")
def _phase(c: Cycle, p: dict[str, Any]) -> None:
    c.phase = p["phase"]
