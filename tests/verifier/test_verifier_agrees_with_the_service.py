"""The two readings of §5.2 agree: the service's count and the verifier's recount, on many small random elections.

The service (`pb_ledger.domain.counting`) and the verifier (`verifier.counting`) implement the counting rules
separately from one document; neither imports the other. Only this test holds both. Every rule, every tie-break,
thresholds, exclusive groups and Add1 increments are drawn at random; ties are frequent on purpose (few voters,
small costs), so that the tie-breaking clauses are exercised.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pb_ledger.domain.counting import count as service_count
from pb_ledger.domain.rules import Rules
from verifier.ballots import Ballot, VoteRules
from verifier.counting import add_ballot
from verifier.counting import count as verifier_count

RULES = (
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "greedy-exclusive",
    "greedy-custom",
    "equalshares",
    "equalshares/add1",
    "equalshares-comparison",
    "equalshares/add1-comparison",
)
PROJECTS = "abcdef"
CLOSING = "7a" * 32


@st.composite
def elections(draw: Any) -> dict[str, Any]:
    projects = PROJECTS[: draw(st.integers(1, len(PROJECTS)))]
    costs = {project: draw(st.integers(1, 60)) for project in projects}
    ballots = draw(st.lists(st.sets(st.sampled_from(projects)).map(sorted), max_size=14))
    rule = draw(st.sampled_from(RULES))
    threshold = draw(st.one_of(st.none(), st.integers(0, 4)))
    if rule == "greedy-threshold" and threshold is None:
        threshold = 1
    exclusive: tuple[tuple[str, ...], ...] = ()
    if rule == "greedy-exclusive" and len(projects) >= 2:
        groups = draw(st.lists(st.sets(st.sampled_from(projects), min_size=2), max_size=2))
        exclusive = tuple(tuple(sorted(group)) for group in groups)
    return {
        "costs": costs,
        "ballots": ballots,
        "budget": draw(st.integers(0, 200)),
        "rule": rule,
        "threshold": threshold,
        "tie_break": draw(st.sampled_from(("lower-cost", "lexicographic", "lottery"))),
        "exclusive": exclusive,
        "increment": draw(st.integers(1, 7)) if "add1" in rule else None,
    }


def by_the_service(election: dict[str, Any]) -> tuple[list[str], int, list[str]]:
    rules = Rules(
        vote_type="approval",
        min_length=0,
        rule=election["rule"],
        threshold=election["threshold"],
        tie_break=election["tie_break"],
        exclusive=election["exclusive"],
        voter_budget_increment=election["increment"],
    )
    ballots = [(ballot, None) for ballot in election["ballots"]]
    result = service_count(rules, election["costs"], ballots, election["budget"], CLOSING)
    return result.winners, result.spent, result.reserve


def by_the_verifier(election: dict[str, Any]) -> tuple[list[str], int, list[str]]:
    rules = VoteRules(
        "approval",
        0,
        None,
        None,
        None,
        None,
        None,
        election["rule"],
        election["threshold"],
        election["tie_break"],
        tuple(frozenset(group) for group in election["exclusive"]),
        election["increment"],
    )
    scores = dict.fromkeys(election["costs"], 0)
    profile: Counter[frozenset[str]] = Counter()
    for ballot in election["ballots"]:
        add_ballot(scores, Ballot(tuple(ballot)), "approval")
        profile[frozenset(ballot)] += 1
    outcome = verifier_count(scores, election["costs"], election["budget"], rules, CLOSING, profile)
    return list(outcome.winners), outcome.spent, list(outcome.reserve)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_the_service_and_the_verifier_count_alike(election: dict[str, Any]) -> None:
    assert by_the_service(election) == by_the_verifier(election)
