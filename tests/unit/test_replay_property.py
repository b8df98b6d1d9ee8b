"""Property: whatever commands are tried, in whatever order, the state a cycle reaches is exactly the state rebuilt by
replaying its events from the log's JSON — no decision leaves a trace anywhere but in its events."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pb_ledger.domain import evaluation, followup, ideas, launch, review, voting
from pb_ledger.domain.cycle import Cycle, evolve, fold
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules

IDS = st.sampled_from(["a", "b", "c", "d"])
PROJECTS = st.sampled_from(["A", "B", "C", "D"])
ROLES = st.sampled_from(["pb-team", "committee", "citizen", "clerk", "voter"])
TEXT = st.sampled_from(["", "  ", "park", "حديقة", "école"])
COSTS = st.integers(min_value=-5, max_value=900)
PHASES = st.sampled_from(["ideas", "review", "implementation", "evaluation", "closed", "vote"])
RULES = Rules(vote_type="approval", min_length=1, max_length=2, rule="greedy", tie_break="lexicographic")

COMMANDS = st.one_of(
    st.tuples(st.just("phase"), PHASES, ROLES),
    st.tuples(st.just("rules"), ROLES),
    st.tuples(st.just("submit"), IDS, TEXT, ROLES),
    st.tuples(st.just("accept"), IDS, PROJECTS, COSTS, TEXT, ROLES),
    st.tuples(st.just("reject"), IDS, TEXT, ROLES, TEXT),
    st.tuples(st.just("appeal"), IDS, TEXT, ROLES),
    st.tuples(st.just("answer"), st.sampled_from(["upheld", "dismissed", "maybe"]), ROLES),
    st.tuples(st.just("publish"), ROLES),
    st.tuples(st.just("open"), ROLES),
    st.tuples(st.just("ballot"), st.lists(PROJECTS, max_size=3), ROLES),
    st.tuples(st.just("close"), ROLES),
    st.tuples(st.just("announce"), ROLES),
    st.tuples(st.just("milestone"), PROJECTS, st.sampled_from(["planned", "delayed", "completed", "x"]), TEXT),
    st.tuples(st.just("lesson"), TEXT, ROLES),
)


def decide(state: Cycle, command: tuple[Any, ...], ballots: list[tuple[list[str], None]]) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    kind, *args = command
    if kind == "phase":
        return [launch.decide_start_phase(state, args[0], args[1])]
    if kind == "rules":
        return [voting.decide_fix_rules(state, RULES, args[0])]
    if kind == "submit":
        return [ideas.decide_submit(state, args[0], args[1], "", "online", args[2])]
    if kind == "accept":
        return [review.decide_accept(state, args[0], args[1], args[2], args[3], args[4], revision_reason="r")]
    if kind == "reject":
        return [review.decide_reject(state, args[0], args[1], "criterion", args[2], revision_reason=args[3])]
    if kind == "appeal":
        return [review.decide_appeal(state, args[0], f"A-{args[0]}", args[1] or "why", args[2])]
    if kind == "answer":
        appeal = next(iter(state.appeals), "A-x")
        return [review.decide_answer_appeal(state, appeal, args[0], "answer", args[1])]
    if kind == "publish":
        return review.decide_publish_ballot(state, args[0])
    if kind == "open":
        return [voting.decide_open(state, args[0])]
    if kind == "ballot":
        event = voting.decide_cast(state, "online", args[0], None, args[1])
        ballots.append((list(args[0]), None))
        return [event]
    if kind == "close":
        return [voting.decide_close(state, args[0])]
    if kind == "announce":
        return [voting.decide_announce(state, [{"vote": v, "points": p} for v, p in ballots], "0" * 64, args[0])]
    if kind == "milestone":
        return [followup.decide_milestone(state, args[0], args[1], "2027-01-01", "pb-team", reason=args[2])]
    return [evaluation.decide_lesson(state, args[0], args[1])]


@settings(max_examples=300, deadline=None)
@given(st.lists(COMMANDS, max_size=40))
def test_replaying_the_events_rebuilds_exactly_the_state_the_commands_reached(commands: list[Any]) -> None:
    state = fold("c", [launch.decide_create("Commune", 1000, "MAD", 2, None)])
    log = [launch.decide_create("Commune", 1000, "MAD", 2, None)]
    ballots: list[tuple[list[str], None]] = []
    for command in commands:
        try:
            events = decide(state, command, ballots)
        except DomainError:
            continue  # refused: nothing happens
        for event in events:
            evolve(state, *event)
            log.append(event)
    through_the_log = [tuple(json.loads(json.dumps(event, ensure_ascii=False))) for event in log]
    assert asdict(fold("c", through_the_log)) == asdict(state)  # type: ignore[arg-type]
