"""Each command of the launch, ideas, follow-up and evaluation stages refuses bad input with its own code."""

from __future__ import annotations

from typing import Any

import pytest

from pb_ledger.domain import evaluation, followup, ideas, launch, review, voting
from pb_ledger.domain.cycle import Cycle, evolve
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules

SHA = "ab" * 32


def play(*steps: Any) -> Cycle:
    state = Cycle(id="c")
    for step in steps:
        for event in (step(state) if callable(step) else [step]):
            evolve(state, *(event if isinstance(event, tuple) else event))
    return state


def at(phase: str) -> Cycle:
    steps: list[Any] = [launch.decide_create("C", 1000, "MAD", 2, None),
                        lambda s: [voting.decide_fix_rules(s, Rules(vote_type="approval"), "pb-team")]]
    order = ["launch", "ideas", "review", "vote", "results", "implementation", "evaluation"]
    for name in order[: order.index(phase) + 1]:
        if name == "launch":
            continue
        if name == "ideas":
            steps += [lambda s: [launch.decide_start_phase(s, "ideas", "pb-team")],
                      lambda s: [ideas.decide_submit(s, "a", "A", "", "online", "citizen")]]
        elif name == "review":
            steps.append(lambda s: [launch.decide_start_phase(s, "review", "pb-team")])
        elif name == "vote":
            steps += [lambda s: [review.decide_accept(s, "a", "A", 500, "", "committee")],
                      lambda s: review.decide_publish_ballot(s, "pb-team"),
                      lambda s: [voting.decide_open(s, "pb-team")],
                      lambda s: [voting.decide_cast(s, "online", ["A"], None, "voter")]]
        elif name == "results":
            steps += [lambda s: [voting.decide_close(s, "pb-team")],
                      lambda s: [voting.decide_announce(s, [{"vote": ["A"]}], "0" * 64, "pb-team")]]
        else:
            steps.append(lambda s, n=name: [launch.decide_start_phase(s, n, "pb-team")])
    return play(*steps)


CASES = [
    ("launch", "council decision with a bad date", "invalid_date",
     lambda s: launch.decide_council_decision(s, "D-1", "20/01/2027", "", "pb-team")),
    ("launch", "council decision by a citizen", "forbidden_role",
     lambda s: launch.decide_council_decision(s, "D-1", "2027-01-20", "", "citizen")),
    ("launch", "envelopes above the budget", "envelopes_exceed_budget",
     lambda s: launch.decide_envelopes(s, {"north": 800, "south": 300}, "pb-team")),
    ("launch", "a negative envelope", "invalid_amount", lambda s: launch.decide_envelopes(s, {"n": -1}, "pb-team")),
    ("launch", "a timeline that ends before it starts", "invalid_timeline",
     lambda s: launch.decide_timeline(s, {"ideas": ("2027-03-01", "2027-02-01")}, "pb-team")),
    ("launch", "an unknown team role", "invalid_team_role",
     lambda s: launch.decide_team_member(s, "m", "Name", "boss", "pb-team")),
    ("launch", "no criteria", "no_criteria", lambda s: launch.decide_criteria(s, {}, "pb-team")),
    ("launch", "a campaign ending before it starts", "dates_out_of_order",
     lambda s: launch.decide_campaign(s, "radio", "2027-02-01", "2027-01-01", "", "pb-team")),
    ("launch", "an idea before the idea phase", "wrong_phase",
     lambda s: ideas.decide_submit(s, "b", "B", "", "online", "citizen")),
    ("ideas", "a paper idea without its form number", "paper_form_required",
     lambda s: ideas.decide_submit(s, "b", "B", "", "paper", "clerk", paper_form={"number": "", "scan_sha256": SHA})),
    ("ideas", "a paper idea without the scan's hash", "scan_hash_required",
     lambda s: ideas.decide_submit(s, "b", "B", "", "paper", "clerk", paper_form={"number": "7", "scan_sha256": ""})),
    ("ideas", "a paper idea typed in by a citizen", "forbidden_role",
     lambda s: ideas.decide_submit(s, "b", "B", "", "paper", "citizen", paper_form={"number": "7",
                                                                                  "scan_sha256": SHA})),
    ("ideas", "a forum idea from an unrecorded forum", "unknown_forum",
     lambda s: ideas.decide_submit(s, "b", "B", "", "forum", "pb-team", forum="F-9")),
    ("ideas", "a negative estimated cost", "invalid_amount",
     lambda s: ideas.decide_submit(s, "b", "B", "", "online", "citizen", estimated_cost=-5)),
    ("ideas", "the same receipt twice", "duplicate_idea",
     lambda s: ideas.decide_submit(s, "a", "A again", "", "online", "citizen")),
    ("ideas", "a decision before the review", "wrong_phase",
     lambda s: review.decide_accept(s, "a", "A", 100, "", "committee")),
    ("review", "a decision on an unknown idea", "unknown_idea",
     lambda s: review.decide_reject(s, "zz", "no", "c", "committee")),
    ("review", "a zero cost", "invalid_amount", lambda s: review.decide_accept(s, "a", "A", 0, "", "committee")),
    ("review", "a decision by the PB team", "forbidden_role",
     lambda s: review.decide_accept(s, "a", "A", 100, "", "pb-team")),
    ("review", "merging an idea into itself", "invalid_merge",
     lambda s: ideas.decide_merge(s, "a", ["a"], "dup", "committee")),
    ("results", "a milestone for an unfunded project", "not_funded",
     lambda s: followup.decide_milestone(s, "Z", "planned", "2027-01-01", "pb-team")),
    ("results", "a delay without its reason", "missing_text",
     lambda s: followup.decide_milestone(s, "A", "delayed", "2027-01-01", "pb-team")),
    ("results", "a progress of 140%", "invalid_percent",
     lambda s: followup.decide_milestone(s, "A", "progress", "2027-01-01", "pb-team", percent=140)),
    ("results", "an attachment without a hash", "invalid_hash",
     lambda s: followup.decide_attachment(s, "A", "photo.jpg", "image/jpeg", "t", "pb-team")),
    ("results", "a visit never scheduled", "unknown_visit",
     lambda s: followup.decide_visit_held(s, "V-9", 3, "pb-team")),
    ("results", "a survey before the evaluation", "wrong_phase",
     lambda s: evaluation.decide_survey(s, "S", 10, {}, "pb-team")),
    ("evaluation", "more answers than responses", "survey_mismatch",
     lambda s: evaluation.decide_survey(s, "S", 10, {"ok?": {"yes": 8, "no": 5}}, "pb-team")),
    ("evaluation", "a report with a bad hash", "invalid_hash",
     lambda s: evaluation.decide_report(s, "summary", "xyz", "pb-team")),
    ("evaluation", "a lesson by a voter", "forbidden_role", lambda s: evaluation.decide_lesson(s, "l", "voter")),
]


@pytest.mark.parametrize("phase,what,code,command", CASES, ids=[c[1] for c in CASES])
def test_a_bad_command_is_refused_with_its_code(phase: str, what: str, code: str, command: Any) -> None:
    with pytest.raises(DomainError) as refused:
        command(at(phase))
    assert refused.value.code == code, refused.value


def test_a_cancellation_ends_the_follow_up_of_a_project() -> None:
    state = at("results")
    evolve(state, *followup.decide_milestone(state, "A", "cancelled", "2027-01-01", "pb-team", reason="no land"))
    with pytest.raises(DomainError) as refused:
        followup.decide_milestone(state, "A", "progress", "2027-02-01", "pb-team", percent=10)
    assert refused.value.code == "project_finished"
