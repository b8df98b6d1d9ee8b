"""The vote options the rules may declare, on both stores, recounted by pb-verify: re-voting ("the last ballot
counts"), a vote by district on the district envelopes, and double entry of paper batches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.eligibility import RegisterStore
from pb_ledger.identity import OneTimeCodes
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore

TEAM, COMMITTEE = ("pb-team", ""), ("committee", "")
CLERK_A, CLERK_B = ("clerk", "clerk-a"), ("clerk", "clerk-b")
RESIDENTS = [("AA100001", "centre"), ("AA100002", "centre"), ("AA100003", "centre"), ("BB200001", "nord"),
             ("BB200002", "nord"), ("BB200003", "nord")]
# project id -> (district, cost); the envelopes are centre 50,000 and nord 40,000 of a 100,000 budget
PROJECTS = {"C-park": ("centre", 30_000), "C-lights": ("centre", 25_000), "C-bench": ("centre", 10_000),
            "N-school": ("nord", 35_000), "N-well": ("nord", 20_000)}


class Inbox:
    def __init__(self) -> None:
        self.codes: dict[str, str] = {}

    def deliver(self, token: str, contact: str | None, code: str) -> None:
        self.codes[token] = code


def setup(settings: Settings, tmp_path: Path, rules: Rules, *, envelopes: bool) -> tuple[Services, str, Inbox, Ledger]:
    ledger = Ledger(settings, "commune-options")
    services = Services(ledger, register=RegisterStore(ReadStore(settings), ledger.log_id))
    inbox = Inbox()
    services.ballots.codes = OneTimeCodes(inbox)
    cycle = services.launch.create_cycle("Commune", 100_000, "MAD", actor=TEAM)
    if envelopes:
        services.launch.set_envelopes(cycle, {"centre": 50_000, "nord": 40_000}, actor=TEAM)
    services.voting.fix_rules(cycle, rules, actor=TEAM)
    register = tmp_path / "register.csv"
    register.write_text("national_id;district;contact\n" + "\n".join(f"{i};{d};" for i, d in RESIDENTS) + "\n",
                        encoding="utf-8")
    services.ballots.publish_register(cycle, str(register), actor=TEAM)
    services.launch.start_phase(cycle, "ideas", actor=TEAM)
    ideas = {p: services.ideas.submit_idea(cycle, f"Idea {p}", district=d if envelopes else None)
             for p, (d, _) in PROJECTS.items()}
    services.launch.start_phase(cycle, "review", actor=TEAM)
    for project, idea in ideas.items():
        services.review.accept_idea(cycle, idea, project, PROJECTS[project][1], actor=COMMITTEE)
    services.review.publish_ballot(cycle, actor=TEAM)
    services.voting.open_voting(cycle, actor=TEAM)
    return services, cycle, inbox, ledger


def online(services: Services, inbox: Inbox, cycle: str, national_id: str, vote: list[str],
           district: str | None = None) -> str:
    """Vote online; a code refused for the ballot's content stays valid, so it is asked for only when none is held."""
    token = services.ballots._token(cycle, national_id) or ""
    if token not in inbox.codes:
        services.ballots.request_code(cycle, national_id)
    receipt = services.ballots.cast_online_ballot(cycle, national_id, inbox.codes[token], vote, district=district)
    del inbox.codes[token]  # used
    return receipt


def refused(code: str, call, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value


def entries(ledger: Ledger, cycle: str, event_type: str) -> list[dict[str, Any]]:
    return [json.loads(row.entry)["payload"] for row in ledger.iter_cycle_entries(cycle, event_type)]


def verify(ledger: Ledger, tmp_path: Path) -> dict[str, Any]:
    export, key = tmp_path / "log.export", tmp_path / "root.pem"
    export_log(ledger, export)
    key.write_bytes(ledger.keys.public_pem())
    done = subprocess.run([sys.executable, "-m", "verifier", str(export), "--root-key", str(key), "--json"],
                          capture_output=True, text=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_under_revoting_the_last_ballot_of_each_person_counts_whatever_the_channel(
        settings: Settings, tmp_path: Path) -> None:
    rules = Rules(vote_type="approval", max_length=2, revoting="last-ballot-counts")
    services, cycle, inbox, ledger = setup(settings, tmp_path, rules, envelopes=False)
    online(services, inbox, cycle, "AA100001", ["C-park"])
    online(services, inbox, cycle, "AA100002", ["C-park", "N-well"])
    online(services, inbox, cycle, "AA100001", ["N-school"])  # changes their mind online
    services.ballots.enter_paper_batch(cycle, "s1", "b1", [
        {"national_id": "AA100002", "vote": ["C-bench"]},  # then votes on paper: this one counts
        {"national_id": "BB200001", "vote": ["C-bench", "N-well"]},
    ], actor=CLERK_A)
    services.voting.close_voting(cycle, actor=TEAM)
    services.voting.announce_results(cycle, actor=TEAM)
    [closed] = entries(ledger, cycle, "VotingClosed")
    [results] = entries(ledger, cycle, "ResultsAnnounced")
    assert closed["ballots"] == 5  # every ballot is in the log ...
    assert results["scores"] == {"C-park": 0, "C-lights": 0, "C-bench": 2, "N-school": 1, "N-well": 1}  # ... 3 count
    report = verify(ledger, tmp_path)
    assert report["ok"], report
    assert report["cycles"][0]["recomputed_winners"] == results["winners"]


def test_revoting_needs_a_register(settings: Settings) -> None:
    ledger = Ledger(settings, "commune-options")
    services = Services(ledger, register=RegisterStore(ReadStore(settings), ledger.log_id))
    cycle = services.launch.create_cycle("Commune", 100_000, "MAD", actor=TEAM)
    services.voting.fix_rules(cycle, Rules(vote_type="approval", revoting="last-ballot-counts"), actor=TEAM)
    services.launch.start_phase(cycle, "ideas", actor=TEAM)
    idea = services.ideas.submit_idea(cycle, "Idea")
    services.launch.start_phase(cycle, "review", actor=TEAM)
    services.review.accept_idea(cycle, idea, "P", 1_000, actor=COMMITTEE)
    services.review.publish_ballot(cycle, actor=TEAM)
    refused("revoting_needs_register", services.voting.open_voting, cycle, actor=TEAM)


def test_a_vote_by_district_of_residence_is_counted_district_by_district(settings: Settings, tmp_path: Path) -> None:
    rules = Rules(vote_type="approval", max_length=2, district_vote="residence")
    services, cycle, inbox, ledger = setup(settings, tmp_path, rules, envelopes=True)
    [opened] = entries(ledger, cycle, "VotingOpened")
    assert opened["budgets"] == {"centre": 50_000, "nord": 40_000}
    assert opened["districts"] == {p: d for p, (d, _) in PROJECTS.items()}
    # refusals, nothing appended
    refused("district_required", online, services, inbox, cycle, "AA100001", ["C-park"])
    refused("wrong_district", online, services, inbox, cycle, "AA100001", ["C-park", "N-well"], "centre")
    refused("wrong_district", online, services, inbox, cycle, "AA100001", ["N-well"], "nord")  # lives in centre
    refused("unknown_district", online, services, inbox, cycle, "AA100001", ["C-park"], "sud")
    refused("too_few_choices", online, services, inbox, cycle, "AA100001", [], "centre")
    assert entries(ledger, cycle, "BallotCast") == []
    # the vote
    receipt = online(services, inbox, cycle, "AA100001", ["C-park", "C-bench"], "centre")
    assert "C-park" not in receipt
    online(services, inbox, cycle, "AA100002", ["C-lights", "C-bench"], "centre")
    online(services, inbox, cycle, "AA100003", ["C-lights"], "centre")
    report = services.ballots.enter_paper_batch(cycle, "nord-1", "1", [
        {"national_id": "BB200001", "vote": ["N-school"], "district": "nord"},
        {"national_id": "BB200002", "vote": ["N-school", "N-well"], "district": "nord"},
        {"national_id": "BB200003", "vote": ["C-park"], "district": "nord"},  # a centre project
        {"national_id": "AA100001", "vote": ["N-well"], "district": "nord"},  # voted already, and not in nord
    ], actor=CLERK_A)
    assert "2 accepted, 2 refused" in report and "line 3: refused [wrong_district]" in report
    services.ballots.request_code(cycle, "BB200001")  # voted on paper: gets no code to vote again online
    assert services.ballots._token(cycle, "BB200001") not in inbox.codes
    services.voting.close_voting(cycle, actor=TEAM)
    services.voting.announce_results(cycle, actor=TEAM)
    [results] = entries(ledger, cycle, "ResultsAnnounced")
    # centre (50,000): C-lights 2 and C-bench 2 (ties: lower cost first), then C-park 1 does not fit (30,000 > 15,000)
    assert results["districts"]["centre"] == {"budget": 50_000, "winners": ["C-bench", "C-lights"], "spent": 35_000,
                                              "ballots": 3}
    # nord (40,000): N-school 2, then N-well 1 does not fit (20,000 > 5,000)
    assert results["districts"]["nord"] == {"budget": 40_000, "winners": ["N-school"], "spent": 35_000,
                                            "ballots": 2}
    assert results["winners"] == ["C-bench", "C-lights", "N-school"] and results["spent"] == 70_000
    report = verify(ledger, tmp_path)
    assert report["ok"], report
    assert report["cycles"][0]["recomputed_winners"] == results["winners"]


def test_a_vote_by_district_needs_envelopes_and_projects_in_them(settings: Settings, tmp_path: Path) -> None:
    ledger = Ledger(settings, "commune-options")
    services = Services(ledger)
    cycle = services.launch.create_cycle("Commune", 100_000, "MAD", actor=TEAM)
    refused("envelopes_missing", services.voting.fix_rules, cycle, Rules(vote_type="approval", district_vote="any"),
            actor=TEAM)
    services.launch.set_envelopes(cycle, {"centre": 50_000}, actor=TEAM)
    services.voting.fix_rules(cycle, Rules(vote_type="approval", district_vote="any"), actor=TEAM)
    services.launch.start_phase(cycle, "ideas", actor=TEAM)
    idea = services.ideas.submit_idea(cycle, "Idea without a district")
    services.launch.start_phase(cycle, "review", actor=TEAM)
    services.review.accept_idea(cycle, idea, "P", 1_000, actor=COMMITTEE)
    services.review.publish_ballot(cycle, actor=TEAM)
    refused("project_without_district", services.voting.open_voting, cycle, actor=TEAM)


def test_double_entry_enters_a_batch_only_when_two_clerks_typed_it_alike(settings: Settings, tmp_path: Path) -> None:
    rules = Rules(vote_type="approval", max_length=2, paper_double_entry=True)
    services, cycle, _, ledger = setup(settings, tmp_path, rules, envelopes=False)
    batch = [{"national_id": "AA100001", "vote": ["C-park"]}, {"national_id": "BB200001", "vote": ["N-well"]},
             {"national_id": "BB200002", "vote": ["N-well", "C-bench"]}]
    refused("clerk_reference_required", services.ballots.enter_paper_batch, cycle, "s1", "b1", batch,
            actor=("clerk", ""))
    first = services.ballots.enter_paper_batch(cycle, "s1", "b1", batch, actor=CLERK_A)
    assert "first typing of 3 line(s) kept" in first
    assert entries(ledger, cycle, "BallotCast") == []
    refused("same_clerk", services.ballots.enter_paper_batch, cycle, "s1", "b1", batch, actor=CLERK_A)
    typo = [batch[0], {"national_id": "BB200001", "vote": ["N-school"]}, batch[2]]
    mismatch = services.ballots.enter_paper_batch(cycle, "s1", "b1", typo, actor=CLERK_B)
    assert "MISMATCH" in mismatch and "line(s) 2;" in mismatch
    assert entries(ledger, cycle, "BallotCast") == []
    assert entries(ledger, cycle, "PaperBatchMismatch") == [
        {"station": "s1", "batch": "b1", "first_lines": 3, "second_lines": 3, "differing_lines": [2]}]
    # both type it again; now they agree, and the batch is entered
    assert "first typing" in services.ballots.enter_paper_batch(cycle, "s1", "b1", batch, actor=CLERK_B)
    report = services.ballots.enter_paper_batch(cycle, "s1", "b1", batch, actor=CLERK_A)
    assert report == "batch b1 of station s1: 3 accepted, 0 refused"
    assert len(entries(ledger, cycle, "BallotCast")) == 3
    refused("batch_already_entered", services.ballots.enter_paper_batch, cycle, "s1", "b1", batch, actor=CLERK_B)
    services.voting.close_voting(cycle, actor=TEAM)
    services.voting.announce_results(cycle, actor=TEAM)
    assert verify(ledger, tmp_path)["ok"]
