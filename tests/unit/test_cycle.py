"""The cycle's decisions, without a database: what is refused, with which code, and what is decided."""

from __future__ import annotations

from typing import Any

import pytest

from pb_ledger.domain import ideas, launch, review, voting
from pb_ledger.domain.cycle import Cycle, evolve
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules

APPROVAL_MAX_2 = Rules(vote_type="approval", min_length=1, max_length=2, rule="greedy", tie_break="lexicographic")


def apply(state: Cycle, *events: tuple[str, dict[str, Any]]) -> Cycle:
    for event in events:
        evolve(state, *event)
    return state


def created() -> Cycle:
    return apply(Cycle(id="c"), launch.decide_create("Commune", 1000, "MAD", 2, None))


def reviewing(rules: Rules = APPROVAL_MAX_2) -> Cycle:
    state = created()
    apply(state, voting.decide_fix_rules(state, rules, "pb-team"), launch.decide_start_phase(state, "ideas", "pb-team"))
    for idea in "abc":
        apply(state, ideas.decide_submit(state, idea, f"Idea {idea}", "", "online", "citizen"))
    return apply(state, launch.decide_start_phase(state, "review", "pb-team"))


def voting_open() -> Cycle:
    state = reviewing()
    for idea, cost in (("a", 600), ("b", 500), ("c", 300)):
        apply(state, review.decide_accept(state, idea, idea.upper(), cost, "", "committee"))
    apply(state, *review.decide_publish_ballot(state, "pb-team"))
    return apply(state, voting.decide_open(state, "pb-team"))


def refused(code: str, decide, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        decide(*args, **kwargs)
    assert caught.value.code == code, caught.value


def test_a_budget_must_be_a_positive_whole_amount_in_an_iso_currency() -> None:
    refused("invalid_amount", launch.decide_create, "x", 0, "MAD", 2, None)
    refused("invalid_currency", launch.decide_create, "x", 10, "dirham", 2, None)
    refused("forbidden_role", launch.decide_create, "x", 10, "MAD", 2, None, "citizen")
    assert launch.decide_create("x", 10, "MAD", 2, None)[1]["budget"] == {"amount": 10, "currency": "MAD",
                                                                          "exponent": 2}


def test_phases_follow_the_guide_in_order() -> None:
    state = created()
    refused("invalid_transition", launch.decide_start_phase, state, "review", "pb-team")
    refused("no_ideas", launch.decide_start_phase, apply(state, launch.decide_start_phase(state, "ideas", "pb-team")),
            "review", "pb-team")
    refused("invalid_transition", launch.decide_start_phase, reviewing(), "vote", "pb-team")


def test_no_idea_is_accepted_outside_the_idea_phase() -> None:
    refused("wrong_phase", ideas.decide_submit, created(), "x", "Park", "", "online", "citizen")
    refused("wrong_phase", ideas.decide_submit, reviewing(), "x", "Park", "", "online", "citizen")


def test_a_rejection_without_a_public_reason_is_refused() -> None:
    state = reviewing()
    refused("reason_required", review.decide_reject, state, "a", "   ", "feasibility", "committee")
    refused("forbidden_role", review.decide_reject, state, "a", "Outside competence", "competence", "clerk")
    event = review.decide_reject(state, "a", "Outside the commune's competence", "competence", "committee")
    assert event == ("IdeaRejected", {"idea": "a", "reason": "Outside the commune's competence",
                                      "criterion": "competence", "checks": []})


def test_a_decision_is_revised_only_by_a_new_decision_with_its_reason() -> None:
    state = reviewing()
    apply(state, review.decide_accept(state, "a", "A", 600, "ok", "committee"))
    refused("revision_reason_required", review.decide_reject, state, "a", "too costly", "cost", "committee")
    event = review.decide_reject(state, "a", "too costly", "cost", "committee", revision_reason="new estimate")
    assert event[1]["revises"] is True
    apply(state, event)
    assert "A" not in state.projects and state.ideas["a"].status == "rejected"


def test_an_upheld_appeal_must_be_followed_by_a_new_decision_before_the_vote() -> None:
    state = reviewing()
    for idea in "bc":
        apply(state, review.decide_accept(state, idea, idea.upper(), 100, "", "committee"))
    apply(state, review.decide_reject(state, "a", "not public land", "land", "committee"))
    refused("not_rejected", review.decide_appeal, state, "b", "A-1", "why?", "citizen")
    apply(state, review.decide_appeal(state, "a", "A-1", "it is public land", "citizen"))
    refused("appeals_pending", review.decide_publish_ballot, state, "pb-team")
    apply(state, review.decide_answer_appeal(state, "A-1", "upheld", "the cadastre confirms it", "committee"))
    refused("revision_pending", review.decide_publish_ballot, state, "pb-team")
    apply(state, review.decide_accept(state, "a", "A", 200, "", "committee", revision_reason="appeal A-1 upheld"))
    assert review.decide_publish_ballot(state, "pb-team")[0][0] == "BallotPublished"


def test_the_rules_cannot_change_once_voting_has_opened() -> None:
    refused("rules_frozen", voting.decide_fix_rules, voting_open(), APPROVAL_MAX_2, "pb-team")


def test_voting_needs_rules_and_a_published_ballot() -> None:
    state = created()
    apply(state, launch.decide_start_phase(state, "ideas", "pb-team"))
    apply(state, ideas.decide_submit(state, "a", "A park", "", "online", "citizen"))
    apply(state, launch.decide_start_phase(state, "review", "pb-team"))
    refused("rules_missing", voting.decide_open, state, "pb-team")
    apply(state, voting.decide_fix_rules(state, APPROVAL_MAX_2, "pb-team"))
    refused("ballot_not_published", voting.decide_open, state, "pb-team")


def test_a_ballot_outside_the_vote_is_refused() -> None:
    refused("voting_not_open", voting.decide_cast, reviewing(), "online", ["A"], None, "voter")
    state = voting_open()
    apply(state, voting.decide_close(state, "pb-team"))
    refused("voting_closed", voting.decide_cast, state, "online", ["A"], None, "voter")


def test_a_ballot_over_the_limits_is_refused_with_the_rule_it_breaks() -> None:
    state = voting_open()
    refused("too_many_choices", voting.decide_cast, state, "paper", ["A", "B", "C"], None, "clerk")
    refused("unknown_project", voting.decide_cast, state, "paper", ["Z"], None, "clerk")
    refused("duplicate_project", voting.decide_cast, state, "paper", ["A", "A"], None, "clerk")
    refused("forbidden_role", voting.decide_cast, state, "paper", ["A"], None, "voter")
    assert voting.decide_cast(state, "paper", ["A", "C"], None, "clerk") == ("BallotCast", {"channel": "paper",
                                                                                          "vote": ["A", "C"]})


def payloads(ballots: list) -> list[dict]:  # type: ignore[type-arg]
    """The `BallotCast` payloads the count reads."""
    return [{"vote": vote, "points": points} for vote, points in ballots]


def test_results_are_the_greedy_count_of_the_ballots() -> None:
    state = voting_open()
    ballots = [(["A"], None), (["A", "B"], None), (["B", "C"], None), (["B"], None)]
    for vote, points in ballots:
        apply(state, voting.decide_cast(state, "online", vote, points, "voter"))
    refused("wrong_phase", voting.decide_announce, state, payloads(ballots), "h", "pb-team")
    apply(state, voting.decide_close(state, "pb-team"))
    _, payload = voting.decide_announce(state, payloads(ballots), "h" * 64, "pb-team")
    # B (3 votes, 500) fits, A (2 votes, 600) no longer fits, C (1 vote, 300) fits: greedy skips A.
    assert payload["winners"] == ["B", "C"]
    assert payload["scores"] == {"A": 2, "B": 3, "C": 1}
    assert payload["spent"] == 800


def test_publishing_the_ballot_warns_when_resources_are_far_from_the_budget() -> None:
    state = reviewing()
    for idea, cost in (("a", 100), ("b", 100), ("c", 100)):
        apply(state, review.decide_accept(state, idea, idea.upper(), cost, "", "committee"))
    events = review.decide_publish_ballot(state, "pb-team")
    assert [e[0] for e in events] == ["BallotPublished", "ResourcesWarning"] and events[1][1]["kind"] == "far-below"


def test_poznans_rule_announces_the_reserve_project_apart_from_the_winners() -> None:
    state = reviewing(Rules(vote_type="approval", min_length=1, max_length=2, rule="greedy-custom",
                            tie_break="lexicographic"))
    for idea, cost in (("a", 700), ("b", 350), ("c", 100)):
        apply(state, review.decide_accept(state, idea, idea.upper(), cost, "", "committee"))
    apply(state, *review.decide_publish_ballot(state, "pb-team"))
    apply(state, voting.decide_open(state, "pb-team"))
    ballots = [(["A", "B"], None), (["A", "B"], None), (["A"], None), (["C"], None)]
    for vote, _ in ballots:
        apply(state, voting.decide_cast(state, "online", vote, None, "voter"))
    apply(state, voting.decide_close(state, "pb-team"))
    _, payload = voting.decide_announce(state, payloads(ballots), "0" * 64, "pb-team")
    # A fits (300 left); B (350) does not, but 5 × 300 >= 4 × 350: funded from the 80% reserve; the count stops
    assert payload["winners"] == ["A"] and payload["reserve"] == ["B"] and payload["spent"] == 700
