"""Real elections (pabulib) written as pb-ledger exports: the verifier's recount selects what the city selected.

The Łódź 2022 election (90,494 ballots) is also the size the verifier must handle in a few seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from verifier.verification import verify_export

from .logbuilder import ROOT
from .pabulib_source import election_log, read_election
from .verifying import shared_folder

GREEDY_ELECTIONS = [
    "Poland_Czestochowa_2024.pb",  # cumulative, greedy
    "Poland_Gdynia_2023_Chwarzno-Wiczlino__small.pb",  # approval, greedy-no-skip, threshold 50
    "Poland_Katowice_2023_Ligota_-_Panewniki.pb",  # cumulative, greedy-threshold
    "Poland_Krakow_2023_Nowa_Huta.pb",  # ordinal, greedy
    "Poland_Lodz_2022.pb",  # approval, greedy-threshold, 90,494 ballots
    "Poland_Warszawa_2021_Mokotow.pb",  # approval, greedy
]


@pytest.mark.slow
@pytest.mark.parametrize("name", GREEDY_ELECTIONS)
def test_the_recount_of_a_real_election_selects_the_officially_selected_projects(name: str, tmp_path: Path) -> None:
    election = read_election(shared_folder("data", "pabulib") / name)
    path = election_log(election).write(tmp_path / "election.jsonl")
    started = time.perf_counter()
    report = verify_export(path, ROOT.public)
    elapsed = time.perf_counter() - started
    assert report.ok, report.error
    (cycle,) = report.cycles
    assert cycle.ballots == len(election.votes)
    assert set(cycle.recomputed_winners or []) == election.selected
    assert elapsed < 60, f"{report.entries} entries took {elapsed:.1f} s"
