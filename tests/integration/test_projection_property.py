"""Property: for random valid logs, every read model holds exactly the rows of a plain fold of the log
(projection_reference.py), whatever the batch size it was applied with, and rebuilding it from scratch (with
another batch size) gives the same rows. The logs are made by the real services from random scenarios: cycles that
stop in any phase, ideas from every channel and district, decisions, merges, appeals, registers with districts,
re-voting, votes by district, ballots on both channels, results, milestones, visits, surveys."""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pb_ledger.config import Settings
from pb_ledger.domain import voting
from pb_ledger.domain.cycle import evolve
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.eligibility import RegisterStore
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore
from projections.follow import open_view
from projections.view import ReadModelsView
from tests.integration.projection_reference import expected_rows

DISTRICTS = ("Agdal", "Hassan", None)
STOPS = ("ideas", "review", "vote", "counting", "results", "implementation", "evaluation")
IDEA = st.tuples(st.sampled_from(["online", "paper", "forum"]), st.sampled_from(DISTRICTS),
                 st.sampled_from(["parks", "roads", None]), st.sampled_from(["accept", "reject", "appeal", "merge"]))
BALLOT = st.tuples(st.sampled_from(["online", "paper"]), st.integers(0, 11), st.sets(st.integers(0, 7), max_size=3),
                   st.sampled_from(DISTRICTS[:2]))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A cycle's story; mostly consistent (a vote by district has envelopes and districts, re-voting a register),
    so that most stories reach the vote, while the refusals of what is not make sure nothing invalid is logged."""
    district_vote = draw(st.sampled_from([None, None, "any", "residence"]))
    revoting = draw(st.booleans())
    ideas = draw(st.lists(IDEA, min_size=1, max_size=7))
    if district_vote:
        ideas = [(c, d or "Agdal", cat, what) for c, d, cat, what in ideas]
    return {"ideas": [*ideas, ("online", ideas[0][1], None, "accept")], "district_vote": district_vote,
            "envelopes": bool(district_vote) or draw(st.booleans()), "revoting": revoting,
            "register": revoting or district_vote == "residence" or draw(st.booleans()),
            "ballots": draw(st.lists(BALLOT, max_size=25)),
            "stop": draw(st.sampled_from(STOPS + ("evaluation",) * 3)),
            "milestones": draw(st.lists(st.sampled_from(["planned", "works-started", "progress", "delayed",
                                                         "completed"]), max_size=4))}


TEAM, COMMITTEE = ("pb-team", "t"), ("committee", "c")


def tried(action: Any, *args: Any, **kwargs: Any) -> Any:
    """Commands a random scenario makes invalid are refused and append nothing: the log stays valid. Returns None
    when refused, else the command's result (True when it returns nothing)."""
    try:
        result = action(*args, **kwargs)
    except DomainError:
        return None
    return True if result is None else result


def run_cycle(services: Services, tmp: Path, s: dict[str, Any]) -> None:
    launch, review = services.launch, services.review
    cycle = launch.create_cycle("Cycle", 1_000_000, "MAD", 2, None, TEAM)
    launch.record_council_decision(cycle, "D-1", "2026-01-10", "", TEAM)
    launch.set_criteria(cycle, {"competence": "Compétence", "cost": "Coût"}, TEAM)
    launch.set_timeline(cycle, {"ideas": ("2026-02-01", "2026-02-28"), "vote": ("2026-04-01", "2026-04-10")}, TEAM)
    if s["envelopes"]:
        launch.set_envelopes(cycle, {"Agdal": 500_000, "Hassan": 400_000}, TEAM)
    tried(services.voting.fix_rules, cycle, Rules(
        vote_type="approval", max_length=3, tie_break="lexicographic",
        revoting="last-ballot-counts" if s["revoting"] else None, district_vote=s["district_vote"]), TEAM)
    launch.start_phase(cycle, "ideas", TEAM)
    services.ideas.record_forum(cycle, "F-1", "2026-02-10", "Maison des jeunes", 40, TEAM)
    ideas = [tried(submit, services, cycle, n, idea) for n, idea in enumerate(s["ideas"])]
    if s["stop"] == "ideas" or tried(launch.start_phase, cycle, "review", TEAM) is None:
        return
    decide(services, cycle, [(i, idea[3]) for i, idea in zip(ideas, s["ideas"]) if i is not None])
    if s["register"]:
        register = tmp / "register.csv"
        register.write_text("national_id;district;contact\n" + "".join(
            f"ID{n:04d};{DISTRICTS[n % 3] or ''};\n" for n in range(12)), encoding="utf-8")
        services.ballots.publish_register(cycle, str(register), TEAM)
    if s["stop"] == "review" or tried(review.publish_ballot, cycle, TEAM) is None:
        return
    if tried(services.voting.open_voting, cycle, TEAM) is None:
        return
    cast(services, cycle, s["ballots"])
    if s["stop"] == "vote":
        return
    services.voting.close_voting(cycle, TEAM)
    if s["stop"] == "counting":
        return
    winners = services.voting.announce_results(cycle, TEAM)
    follow_up(services, cycle, winners, s)


def submit(services: Services, cycle: str, n: int, idea: tuple[str, str | None, str | None, str]) -> str:
    channel, district, category, _ = idea
    extra: dict[str, Any] = {"paper_form_number": f"PF-{n}", "scan_sha256": f"{n:064x}"} if channel == "paper" else {}
    if channel == "forum":
        extra["forum"] = "F-1"
    actor = ("citizen", "") if channel == "online" else ("clerk", "k") if channel == "paper" else TEAM
    return services.ideas.submit_idea(cycle, f"Idée {n}", "…", channel, district=district, category=category,
                                      estimated_cost=1000 * n, actor=actor, **extra)


def decide(services: Services, cycle: str, ideas: list[tuple[str, str]]) -> None:
    review = services.review
    targets = [i for i, what in ideas if what != "merge"]
    for n, (idea, what) in enumerate(ideas):
        if what == "merge" and targets:
            tried(services.ideas.merge_ideas, cycle, targets[0], [idea], "même idée", COMMITTEE)
        elif what == "accept":
            tried(review.accept_idea, cycle, idea, f"P-{n}", 50_000 * (n + 1), "éligible", actor=COMMITTEE)
        else:
            tried(review.reject_idea, cycle, idea, "hors compétence", "competence", actor=COMMITTEE)
            if what == "appeal" and (appeal := tried(review.lodge_appeal, cycle, idea, "je conteste")):
                review.answer_appeal(cycle, appeal, "upheld", "accordé", COMMITTEE)
                review.accept_idea(cycle, idea, f"P-{n}", 60_000, "revu", revision_reason="appel", actor=COMMITTEE)


def cast(services: Services, cycle: str, ballots: list[tuple[str, int, set[int], str | None]]) -> None:
    state, version = services.repo.load(cycle)
    tokens = sorted(state.register or [])
    for channel, voter, picks, chosen in ballots:
        token = tokens[voter % len(tokens)] if tokens else None
        district = None if state.rules.district_vote is None else (  # type: ignore[union-attr]
            state.residence.get(token or "") if state.rules.district_vote == "residence" else chosen)  # type: ignore[union-attr]
        eligible = [p for p in state.ballot if district is None or state.district_of.get(p) == district]
        vote = sorted({eligible[i % len(eligible)] for i in picks}) if eligible else []
        role = "voter" if channel == "online" else "clerk"
        event = tried(voting.decide_cast, state, channel, vote, None, role, token=token, district=district)
        if event is not None:
            version = services.repo.append_decided(cycle, version, [event], (role, ""))
            evolve(state, *event)


def follow_up(services: Services, cycle: str, winners: list[str], s: dict[str, Any]) -> None:
    if s["stop"] == "results" or not winners:
        return
    services.launch.start_phase(cycle, "implementation", TEAM)
    for n, kind in enumerate(s["milestones"]):
        tried(services.followup.record_milestone, cycle, winners[0], kind, f"2026-0{n + 5}-01", actor=TEAM,
              percent=40 if kind == "progress" else None, reason="pluie" if kind == "delayed" else None)
    services.followup.add_attachment(cycle, winners[0], "a" * 64, "image/jpeg", "Photo", TEAM)
    services.followup.schedule_visit(cycle, "V-1", winners[0], "2026-07-01", "Site", TEAM)
    services.followup.record_visit_held(cycle, "V-1", 12, "bien", TEAM)
    if s["stop"] == "implementation":
        return
    services.launch.start_phase(cycle, "evaluation", TEAM)
    services.evaluation.record_survey(cycle, "S-1", 30, {"Satisfait ?": {"oui": 20, "non": 8}}, TEAM)
    services.evaluation.record_lesson(cycle, "Plus de forums.", TEAM)
    services.evaluation.publish_report(cycle, "Bilan", None, TEAM)


def read_model_rows(store: ReadStore, view: ReadModelsView) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    with store.transaction() as cur:
        for model in view.models:
            for table in model.tables:
                rows = cur.execute(f"SELECT * FROM {table} WHERE log_id=?", (view.log_id,)).fetchall()  # noqa: S608
                if rows:
                    found[table] = rows
    return found


def canonical(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    return {t: sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)
            for t, rows in tables.items() if rows}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(stories=st.lists(scenarios(), min_size=1, max_size=2), batch=st.integers(1, 60), rebuild=st.integers(1, 60))
def test_every_read_model_is_a_fold_of_the_log_and_rebuilds_to_the_same_rows(
        settings: Settings, stories: list[dict[str, Any]], batch: int, rebuild: int) -> None:
    """Each example writes a log of its own (logs are independent) into the store of the test, on each backend."""
    ledger = Ledger(settings, f"commune-{uuid.uuid4().hex[:10]}")
    store = ReadStore(settings)
    services = Services(ledger, register=RegisterStore(store, ledger.log_id))
    with tempfile.TemporaryDirectory() as tmp:
        for story in stories:
            run_cycle(services, Path(tmp), story)
    view = open_view(settings, ledger.log_id)
    try:
        view.migrate()
        view.catch_up(size=batch)
        built = canonical(read_model_rows(store, view))
        entries = [row.entry for row in ledger.iter_entries()]
        assert built == canonical(expected_rows(ledger.log_id, entries))
        view.reset()
        view.catch_up(size=rebuild)
        assert canonical(read_model_rows(store, view)) == built
    finally:
        store.close()
        view.close()
        ledger.close()
