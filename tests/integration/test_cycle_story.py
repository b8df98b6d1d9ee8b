"""One whole cycle told as a story, through the application services, on both stores; then the log is exported and
pb-verify accepts it, and none of the personal data typed in along the way is in it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from pb_ledger.config import Settings
from pb_ledger.domain.rules import Rules
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.store import Ledger
from pb_ledger.personal_data import PersonalDataStore
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore

TEAM, COMMITTEE, CLERK, CITIZEN = ("pb-team", "t1"), ("committee", "c1"), ("clerk", "k1"), ("citizen", "")
PLANTED = [  # personal data typed in by citizens and staff; none of it may reach the log
    {"name": "Fatima Zahra El Idrissi", "phone": "+212 661 234 567", "cin": "BE123456",
     "email": "fatima.idrissi@example.ma"},
    {"name": "Youssef Benali", "phone": "0662-987-654", "cin": "JA998877", "email": "y.benali@example.org"},
    {"name": "Khadija Ouazzani", "phone": "+212 700 111 222", "cin": "CD445566", "email": "khadija@example.net"},
]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def verify(ledger: Ledger, tmp_path: Path) -> tuple[dict, bytes]:  # type: ignore[type-arg]
    export, key = tmp_path / "story.export", tmp_path / "root.pem"
    export_log(ledger, export)
    key.write_bytes(ledger.keys.public_pem())
    done = subprocess.run([sys.executable, "-m", "verifier", str(export), "--root-key", str(key), "--json"],
                          capture_output=True, text=True)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"], report["error"]
    return report, export.read_bytes()


def test_a_whole_cycle_from_launch_to_the_next_cycle(settings: Settings, tmp_path: Path) -> None:
    ledger = Ledger(settings, "commune-story")
    personal = PersonalDataStore(ReadStore(settings), ledger.log_id)
    s = Services(ledger, personal)

    # launch
    cycle = s.launch.create_cycle("Commune d'Azrou · budget participatif 2027", 200_000_000, "MAD", actor=TEAM)
    s.launch.record_council_decision(cycle, "Délibération 7/2027", "2027-01-20", "adhésion au BP", actor=TEAM)
    s.launch.set_envelopes(cycle, {"centre": 120_000_000, "nord": 80_000_000}, actor=TEAM)
    s.launch.add_team_member(cycle, "staff-1", "Service des affaires culturelles", "coordinator", actor=TEAM)
    s.launch.set_timeline(cycle, {"ideas": ("2027-02-01", "2027-03-15"), "review": ("2027-03-16", "2027-04-30"),
                                  "vote": ("2027-05-01", "2027-05-20")}, actor=TEAM)
    s.launch.set_criteria(cycle, {"competence": "within the commune's competences",
                                  "budget": "cost within the budget", "land": "on public land"}, actor=TEAM)
    s.launch.record_campaign(cycle, "radio", "2027-01-25", "2027-02-10", "annonces en arabe et amazigh", actor=TEAM)
    s.voting.fix_rules(cycle, Rules(vote_type="approval", min_length=1, max_length=2, rule="greedy",
                                    tie_break="lottery"), actor=TEAM)

    # ideas from the three channels
    s.launch.start_phase(cycle, "ideas", actor=TEAM)
    s.ideas.record_forum(cycle, "forum-nord", "2027-02-20", "Maison des jeunes", 64, actor=TEAM)
    park = s.ideas.submit_idea(cycle, "Jardin public", "un jardin", district="centre", estimated_cost=90_000_000,
                               author_contact=PLANTED[0], actor=CITIZEN)
    lights = s.ideas.submit_idea(cycle, "Éclairage solaire", "rue principale", channel="paper", district="nord",
                                 paper_form_number="PF-0042", scan_sha256=sha("scan 42"),
                                 author_contact=PLANTED[1], actor=CLERK)
    pool = s.ideas.submit_idea(cycle, "Piscine olympique", "", district="centre", author_contact=PLANTED[2],
                               actor=CITIZEN)
    library = s.ideas.submit_idea(cycle, "Bibliothèque de quartier", "", channel="forum", forum="forum-nord",
                                  district="nord", actor=TEAM)
    library_again = s.ideas.submit_idea(cycle, "Une bibliothèque au nord", "", district="nord", actor=CITIZEN)
    market = s.ideas.submit_idea(cycle, "Marché couvert", "", district="centre", actor=CITIZEN)

    # committee review: a merge, criteria, rejections with reasons, a revision, an appeal
    s.launch.start_phase(cycle, "review", actor=TEAM)
    s.review.add_committee_member(cycle, "c1", "Comité de sélection, membre 1", "staff", actor=TEAM)
    s.review.add_committee_member(cycle, "c2", "Comité de sélection, membre 2", "citizen", actor=TEAM)
    s.ideas.merge_ideas(cycle, library, [library_again], "same library in the same district", actor=COMMITTEE)
    all_met = {"competence": True, "budget": True, "land": True}
    s.review.accept_idea(cycle, park, "P-1", 90_000_000, "feasible", checks=all_met, actor=COMMITTEE)
    s.review.accept_idea(cycle, lights, "P-2", 60_000_000, "feasible", checks=all_met, actor=COMMITTEE)
    s.review.accept_idea(cycle, library, "P-3", 70_000_000, "feasible", checks=all_met, actor=COMMITTEE)
    s.review.reject_idea(cycle, pool, "The cost far exceeds the budget.", "budget",
                         checks={"competence": True, "budget": False}, actor=COMMITTEE)
    s.review.reject_idea(cycle, market, "The plot is private land.", "land", actor=COMMITTEE)
    s.review.accept_idea(cycle, lights, "P-2", 75_000_000, "feasible", revision_reason="new estimate from the works "
                         "department", actor=COMMITTEE)
    appeal = s.review.lodge_appeal(cycle, market, "The plot belongs to the commune since 2019.", actor=CITIZEN)
    s.review.answer_appeal(cycle, appeal, "upheld", "The land registry confirms it.", actor=COMMITTEE)
    s.review.accept_idea(cycle, market, "P-4", 50_000_000, "feasible", revision_reason=f"appeal {appeal} upheld",
                         actor=COMMITTEE)
    assert s.review.publish_ballot(cycle, actor=TEAM) == ["P-1", "P-2", "P-3", "P-4"]

    # vote, online and on paper
    s.voting.open_voting(cycle, actor=TEAM)
    for vote in (["P-1", "P-2"], ["P-1"], ["P-3", "P-1"], ["P-4"], ["P-2", "P-4"]):
        s.voting.cast_ballot(cycle, "online", vote, actor=("voter", ""))
    for vote in (["P-3"], ["P-1", "P-3"]):
        s.voting.cast_ballot(cycle, "paper", vote, actor=CLERK)
    s.voting.close_voting(cycle, actor=TEAM)
    winners = s.voting.announce_results(cycle, actor=TEAM)
    assert winners[0] == "P-1" and sum({"P-1": 90, "P-2": 75, "P-3": 70, "P-4": 50}[w] for w in winners) <= 200
    s.voting.publish_participation_summary(cycle, "Merci à toutes et à tous !", actor=TEAM)

    # follow-up of the works
    s.launch.start_phase(cycle, "implementation", actor=TEAM)
    first = winners[0]
    s.followup.record_milestone(cycle, first, "procurement", "2027-07-01", actor=TEAM)
    s.followup.record_milestone(cycle, first, "works-started", "2027-09-01", actor=TEAM)
    s.followup.record_milestone(cycle, first, "progress", "2027-10-01", percent=40, actor=TEAM)
    s.followup.record_milestone(cycle, first, "delayed", "2027-11-01", reason="heavy rains", actor=TEAM)
    s.followup.add_attachment(cycle, first, sha("photo"), "image/jpeg", "chantier, octobre", actor=TEAM)
    s.followup.schedule_visit(cycle, "V-1", first, "2027-12-05", "on site", actor=TEAM)
    s.followup.record_visit_held(cycle, "V-1", 23, actor=TEAM)
    s.followup.record_milestone(cycle, first, "completed", "2028-02-01", actor=TEAM)

    # evaluation, then the next cycle carrying the unfunded eligible ideas forward
    s.launch.start_phase(cycle, "evaluation", actor=TEAM)
    s.evaluation.record_survey(cycle, "S-1", 120, {"Satisfied?": {"yes": 90, "no": 25}}, actor=TEAM)
    s.evaluation.record_lesson(cycle, "Hold more forums in the north.", actor=TEAM)
    s.evaluation.publish_report(cycle, "A first cycle with 7 ballots.", sha("report.pdf"), actor=TEAM)
    following = s.evaluation.open_next_cycle(cycle, "Budget participatif 2028", 200_000_000, "MAD", actor=TEAM)
    next_state, _ = s.repo.load(following)
    unfunded = {"P-1": park, "P-2": lights, "P-3": library, "P-4": market}
    assert set(next_state.ideas) == {idea for project, idea in unfunded.items() if project not in winners}

    report, exported = verify(ledger, tmp_path)
    assert report["cycles"][0]["recomputed_winners"] == winners
    for person in PLANTED:
        for value in person.values():
            assert value.encode() not in exported, f"{value!r} leaked into the log"

    # erasing an author's data keeps the log verifiable
    assert s.ideas.author_contact(park) == PLANTED[0]
    s.ideas.erase_author(cycle, park, actor=TEAM)
    assert s.ideas.author_contact(park) is None
    verify(ledger, tmp_path)
