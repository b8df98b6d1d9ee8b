"""A cycle of the log exported as a pabulib `.pb` file, on both stores: real elections go through import and export
and come back with the same projects, costs, ballots, rules and selected projects; the official pabulib checker
(pabulib-checker) finds no error in the export; a cycle whose vote is not closed is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.importer import import_pabulib
from pb_ledger.ledger.store import Ledger
from pb_ledger.pabulib import PabulibElection, parse_pabulib, rules_from_meta, to_minor_units
from pb_ledger.pabulib_export import export_cycle_pabulib, from_minor_units
from pb_ledger.services import Services
from tests.conftest import env_for, shared_path

# The greedy-family elections of ../shared/data/pabulib that have a `selected` column.
ELECTIONS = [
    "Poland_Warszawa_2021_Mokotow.pb",  # approval, greedy
    "Poland_Gdynia_2023_Chwarzno-Wiczlino__small.pb",  # approval, greedy-no-skip with a threshold, selected=2 rows
    "Poland_Krakow_2023_Nowa_Huta.pb",  # ordinal, greedy, decimal budget, a withdrawn project at the sentinel cost
    "Poland_Czestochowa_2024.pb",  # cumulative, greedy
    "Poland_Katowice_2023_Ligota_-_Panewniki.pb",  # cumulative, greedy-threshold
    "Poland_Lodz_2022.pb",  # approval, greedy-threshold, 90 494 ballots
]
TEAM, COMMITTEE = ("pb-team", "t1"), ("committee", "c1")


def check_with_pabulib_checker(path: Path) -> dict[str, dict[str, Any]]:
    """The official checker's verdict on one file: {"errors": {type: {n: detail}}, "warnings": {…}}."""
    from pabulib import Checker  # type: ignore[import-untyped]  # pabulib-checker, in the test extra

    report = Checker().process_files([str(path)])
    return report[path.stem]["results"]  # type: ignore[no-any-return]


def costs_of(election: PabulibElection) -> dict[str, int]:
    return {p.project_id: to_minor_units(p.cost) for p in election.projects}


def ballots_of(election: PabulibElection) -> Counter[tuple[tuple[str, ...], tuple[int, ...] | None]]:
    return Counter((tuple(v.vote), None if v.points is None else tuple(v.points)) for v in election.votes)


def selected_of(election: PabulibElection) -> set[str]:
    return {p.project_id for p in election.projects if p.selected == 1}


@pytest.mark.slow
@pytest.mark.parametrize("name", ELECTIONS)
def test_an_imported_election_comes_back_whole_and_passes_the_pabulib_checker(
        name: str, settings: Settings, tmp_path: Path) -> None:
    source = shared_path("data", "pabulib", name)
    ledger = Ledger(settings, "commune-real")
    imported = import_pabulib(Services(ledger), source)
    out = tmp_path / name
    done = export_cycle_pabulib(ledger, imported.cycle_id, out)

    original, exported = parse_pabulib(source), parse_pabulib(out)
    assert (done.projects, done.votes) == (len(original.projects), len(original.votes))
    assert costs_of(exported) == costs_of(original)
    assert len(exported.votes) == len(original.votes)
    assert [v.voter_id for v in exported.votes] == [str(n) for n in range(1, len(original.votes) + 1)]
    assert ballots_of(exported) == ballots_of(original)
    for key in ("vote_type", "rule", "country", "unit", "instance", "date_begin", "date_end", "currency"):
        assert exported.meta[key] == original.meta[key], key
    for key in ("district", "subunit"):
        assert exported.meta.get(key) == original.meta.get(key), key
    assert to_minor_units(exported.meta["budget"]) == to_minor_units(original.meta["budget"])
    assert exported.meta["budget"] == original.meta["budget"]  # written back exactly, e.g. 2458488.22
    costs = costs_of(original)
    assert rules_from_meta(exported.meta, costs) == rules_from_meta(original.meta, costs)  # every limit
    assert selected_of(exported) == selected_of(original) == set(done.selected or ())
    for column in ("votes", "score"):  # the recount from the ballots equals the official file's columns
        theirs = {p.project_id: p.fields[column] for p in original.projects if column in p.fields}
        if theirs and column in exported.projects[0].fields:
            assert {p.project_id: p.fields[column] for p in exported.projects} == theirs, column

    verdict = check_with_pabulib_checker(out)
    assert verdict["errors"] == {}
    print(f"{name}: pabulib checker warnings: {verdict['warnings'] or 'none'}")
    # the export draws no kind of warning that the official file does not draw too
    assert set(verdict["warnings"]) <= set(check_with_pabulib_checker(source)["warnings"])


# --- a cycle run through the services ------------------------------------------------------------------------------


def run_cycle_to_the_vote(services: Services, rules: Rules | None = None) -> tuple[str, dict[str, str]]:
    """A small native cycle up to an open vote: one decision revised (new cost), one accepted then withdrawn."""
    launch, ideas, review = services.launch, services.ideas, services.review
    cycle = launch.create_cycle("Commune Test · PB 2026", 1_000_000, "MAD", 2, None, TEAM)
    rules = rules or Rules(vote_type="approval", min_length=1, max_length=5, rule="greedy")
    services.voting.fix_rules(cycle, rules, TEAM)
    launch.start_phase(cycle, "ideas", TEAM)
    a = ideas.submit_idea(cycle, "Jardin; \"vert\"", category="parks, youth")
    b = ideas.submit_idea(cycle, "Piscine")
    c = ideas.submit_idea(cycle, "Bibliothèque")
    d = ideas.submit_idea(cycle, "Éclairage")
    launch.start_phase(cycle, "review", TEAM)
    review.accept_idea(cycle, a, "P-A", 300_000, "ok", actor=COMMITTEE)
    review.accept_idea(cycle, a, "P-A", 250_050, "ok", revision_reason="a cheaper quote", actor=COMMITTEE)
    review.accept_idea(cycle, b, "P-B", 900_000, "ok", actor=COMMITTEE)
    review.reject_idea(cycle, b, "no land available", "public-land", revision_reason="the land was sold",
                       actor=COMMITTEE)
    review.accept_idea(cycle, c, "P-C", 500_000, "ok", actor=COMMITTEE)
    review.accept_idea(cycle, d, "P-D", 400_000, "ok", actor=COMMITTEE)
    review.publish_ballot(cycle, TEAM)
    services.voting.open_voting(cycle, TEAM)
    for vote in (["P-A", "P-C"], ["P-C"], ["P-C", "P-D"], ["P-A"], ["P-D", "P-A"]):
        services.voting.cast_ballot(cycle, "online", vote)
    return cycle, {"a": a, "b": b, "c": c, "d": d}


def test_a_cycle_is_refused_until_its_vote_is_closed(settings: Settings, tmp_path: Path) -> None:
    ledger = Ledger(settings, "commune-test")
    services = Services(ledger)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "cycle.pb"

    with pytest.raises(DomainError) as unknown:
        export_cycle_pabulib(ledger, "00000000-0000-0000-0000-000000000000", out)
    assert unknown.value.code == "unknown_cycle"

    early = services.launch.create_cycle("Not yet voting", 1_000_000, "MAD", 2, None, TEAM)
    with pytest.raises(DomainError) as not_open:
        export_cycle_pabulib(ledger, early, out)
    assert not_open.value.code == "voting_not_open"

    cycle, _ = run_cycle_to_the_vote(services)
    with pytest.raises(DomainError) as still_open:
        export_cycle_pabulib(ledger, cycle, out)
    assert still_open.value.code == "voting_not_closed"
    assert "still open" in still_open.value.message
    assert list(out.parent.iterdir()) == []  # nothing written, not even a partial file


def test_a_native_cycle_exports_from_its_entries(settings: Settings, tmp_path: Path) -> None:
    ledger = Ledger(settings, "commune-test")
    services = Services(ledger)
    cycle, _ = run_cycle_to_the_vote(services)
    services.voting.close_voting(cycle, TEAM)

    before = tmp_path / "closed.pb"
    assert export_cycle_pabulib(ledger, cycle, before).selected is None
    closed = parse_pabulib(before)
    assert all("selected" not in p.fields for p in closed.projects)  # no results announced: no selected column

    winners = services.voting.announce_results(cycle, TEAM)
    out = tmp_path / "announced.pb"
    done = export_cycle_pabulib(ledger, cycle, out, language="fr")
    election = parse_pabulib(out)
    year = closed.meta["date_end"][-4:]
    assert election.meta["unit"] == election.meta["description"] == "Commune Test · PB 2026"
    assert election.meta["instance"] == year and election.meta["country"] == "Worldwide"
    assert election.meta["language"] == "fr" and election.meta["currency"] == "MAD"
    assert election.meta["budget"] == "10000" and election.meta["max_length"] == "3"  # min(max_length, projects)
    assert election.meta["comment"].startswith("#1: Exported from the pb-ledger log commune-test")
    # the projects of VotingOpened, at the cost of the decision in force (revised A, withdrawn B), in count order
    assert [(p.project_id, p.cost, p.fields["votes"], p.selected) for p in election.projects] == [
        ("P-A", "2500.5", "3", 1), ("P-C", "5000", "3", 1), ("P-D", "4000", "2", 0)]
    assert election.projects[0].name == 'Jardin; "vert"' and election.projects[0].fields["category"] == "parks,youth"
    assert done.selected == winners == ["P-A", "P-C"]
    assert [(v.voter_id, v.vote) for v in election.votes] == [
        ("1", ["P-A", "P-C"]), ("2", ["P-C"]), ("3", ["P-C", "P-D"]), ("4", ["P-A"]), ("5", ["P-D", "P-A"])]
    assert 'Jardin; ""vert""' in out.read_text(encoding="utf-8")  # quoted as csv with ';'

    verdict = check_with_pabulib_checker(out)
    assert verdict["errors"] == {}
    print(f"native cycle: pabulib checker warnings: {verdict['warnings'] or 'none'}")


def test_greedy_with_a_threshold_is_written_as_greedy_threshold(settings: Settings, tmp_path: Path) -> None:
    """log-format §5.2 applies a threshold to every rule; pabulib names greedy with a threshold greedy-threshold."""
    ledger = Ledger(settings, "commune-test")
    services = Services(ledger)
    rules = Rules(vote_type="approval", min_length=1, max_length=2, rule="greedy", threshold=3)
    cycle, _ = run_cycle_to_the_vote(services, rules)
    services.voting.close_voting(cycle, TEAM)
    assert services.voting.announce_results(cycle, TEAM) == ["P-A", "P-C"]  # P-D (2 votes) is below the threshold
    out = tmp_path / "threshold.pb"
    export_cycle_pabulib(ledger, cycle, out)
    meta = parse_pabulib(out).meta
    assert (meta["rule"], meta["min_project_score_threshold"], meta["max_length"]) == ("greedy-threshold", "3", "2")
    assert check_with_pabulib_checker(out)["errors"] == {}


def test_the_cli_writes_the_file_and_says_what_it_wrote(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    ledger = Ledger(settings, "commune-cli")
    services = Services(ledger)
    cycle, _ = run_cycle_to_the_vote(services)
    ledger.close()
    out = tmp_path / "cycle.pb"
    env = env_for(settings)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pb_ledger.cli", "export-pabulib", "--log", "commune-cli",
                               "--cycle", cycle, "--out", str(out), *args], capture_output=True, text=True, env=env,
                              cwd=os.getcwd(), check=False)

    refused = cli()
    assert refused.returncode == 2 and "error [voting_not_closed]" in refused.stderr and not out.exists()

    ledger = Ledger(settings, "commune-cli")
    Services(ledger).voting.close_voting(cycle, TEAM)
    Services(ledger).voting.announce_results(cycle, TEAM)
    ledger.close()
    done = cli("--country", "Morocco")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"wrote cycle {cycle} of log commune-cli to {out}: 3 projects, 5 votes, "
                                   "2 selected")
    assert parse_pabulib(out).meta["country"] == "Morocco"


@pytest.mark.parametrize(("amount", "exponent", "text"), [
    (245848822, 2, "2458488.22"), (100000000, 2, "1000000"), (250050, 2, "2500.5"), (5, 2, "0.05"), (0, 2, "0"),
    (7, 0, "7"), (1234, 3, "1.234"),
])
def test_minor_units_are_written_back_exactly(amount: int, exponent: int, text: str) -> None:
    assert from_minor_units(amount, exponent) == text
    assert to_minor_units(text, exponent) == amount
