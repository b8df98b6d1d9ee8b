"""The cycle's decisions, without a database: what is refused, with which code, and what is decided."""

from __future__ import annotations

import pytest

from pb_ledger.domain import cycle as d
from pb_ledger.domain.cycle import Cycle
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules

APPROVAL_MAX_2 = Rules(vote_type="approval", min_length=1, max_length=2, rule="greedy", tie_break="lexicographic")


def play(*events: tuple[str, dict]) -> Cycle:  # type: ignore[type-arg]
    state = Cycle(id="c")
    for event in events:
        d.evolve(state, *event)
    return state


def prepared(rules: Rules = APPROVAL_MAX_2) -> Cycle:
    state = play(d.decide_create("Commune", 1000, "MAD", 2, None))
    d.evolve(state, *d.decide_fix_rules(state, rules))
    for idea, cost in (("a", 600), ("b", 500), ("c", 300)):
        d.evolve(state, *d.decide_submit_idea(state, idea, f"Idea {idea}", "", "online"))
        d.evolve(state, *d.decide_accept_idea(state, idea, idea.upper(), cost))
    return state


def voting() -> Cycle:
    state = prepared()
    d.evolve(state, *d.decide_open_voting(state))
    return state


def refused(code: str, decide, *args) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        decide(*args)
    assert caught.value.code == code, caught.value


def test_a_budget_must_be_a_positive_whole_amount_in_an_iso_currency() -> None:
    refused("invalid_budget", d.decide_create, "x", 0, "MAD", 2, None)
    refused("invalid_currency", d.decide_create, "x", 10, "dirham", 2, None)
    assert d.decide_create("x", 10, "MAD", 2, None)[1]["budget"] == {"amount": 10, "currency": "MAD", "exponent": 2}


def test_a_rejection_without_a_public_reason_is_refused() -> None:
    state = play(d.decide_create("Commune", 1000, "MAD", 2, None))
    d.evolve(state, *d.decide_submit_idea(state, "a", "A park", "", "paper"))
    refused("reason_required", d.decide_reject_idea, state, "a", "   ", "feasibility")
    event = d.decide_reject_idea(state, "a", "Outside the commune's competence", "competence")
    assert event == ("IdeaRejected", {"idea": "a", "reason": "Outside the commune's competence",
                                      "criterion": "competence"})


def test_an_idea_is_decided_only_once() -> None:
    state = prepared()
    refused("idea_already_decided", d.decide_reject_idea, state, "a", "no", "x")
    refused("unknown_idea", d.decide_accept_idea, state, "zz", "ZZ", 5)


def test_the_rules_cannot_change_once_voting_has_opened() -> None:
    state = voting()
    refused("rules_frozen", d.decide_fix_rules, state, APPROVAL_MAX_2)


def test_voting_needs_rules_and_projects() -> None:
    state = play(d.decide_create("Commune", 1000, "MAD", 2, None))
    refused("rules_missing", d.decide_open_voting, state)
    d.evolve(state, *d.decide_fix_rules(state, APPROVAL_MAX_2))
    refused("no_projects", d.decide_open_voting, state)


def test_a_ballot_outside_the_vote_is_refused() -> None:
    refused("voting_not_open", d.decide_cast_ballot, prepared(), "online", ["A"], None)
    state = voting()
    d.evolve(state, *d.decide_close_voting(state))
    refused("voting_closed", d.decide_cast_ballot, state, "online", ["A"], None)


def test_a_ballot_over_the_limits_is_refused_with_the_rule_it_breaks() -> None:
    state = voting()
    refused("too_many_choices", d.decide_cast_ballot, state, "paper", ["A", "B", "C"], None)
    refused("unknown_project", d.decide_cast_ballot, state, "paper", ["Z"], None)
    refused("duplicate_project", d.decide_cast_ballot, state, "paper", ["A", "A"], None)
    assert d.decide_cast_ballot(state, "paper", ["A", "C"], None) == ("BallotCast", {"channel": "paper",
                                                                                     "vote": ["A", "C"]})


def test_results_are_the_greedy_count_of_the_ballots() -> None:
    state = voting()
    ballots = [(["A"], None), (["A", "B"], None), (["B", "C"], None), (["B"], None)]
    for vote, points in ballots:
        d.evolve(state, *d.decide_cast_ballot(state, "online", vote, points))
    refused("voting_not_closed", d.decide_announce, state, ballots, "h")
    d.evolve(state, *d.decide_close_voting(state))
    event_type, payload = d.decide_announce(state, ballots, "h" * 64)
    # B (3 votes, 500) fits, A (2 votes, 600) no longer fits, C (1 vote, 300) fits: greedy skips A.
    assert payload["winners"] == ["B", "C"]
    assert payload["scores"] == {"A": 2, "B": 3, "C": 1}
    assert payload["spent"] == 800
