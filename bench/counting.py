"""Counting speed: pb-ledger's rules beside pabutools', on real elections, with the results compared.

    python bench/counting.py [--timeout SECONDS] [--repeat N]

For Świecie 2023, Wieliczka 2023, Warszawa Mokotów 2021 and Assen 2024 it times, in one run:
- greedy: our `count` (rule greedy) and pabutools' `greedy_utilitarian_welfare` (cost satisfaction), same tie-break;
- MES + Add1: our `count` (rule equalshares/add1, the convention of §5.2: the pabulib checker's), pabutools'
  `method_of_equal_shares(..., voter_budget_increment=1)`, and our MES core driven along pabutools' own Add1
  convention (B / n + k per voter, first exhaustive outcome), whose result must equal pabutools'.
Then our times alone on Łódź 2022 (90,494 ballots): greedy-threshold as declared, and MES + Add1 with every project a
candidate. Parsing is not timed; pabutools' time includes merging identical ballots (ours does that inside `count`).

pabutools needs six to ten minutes for MES + Add1 on Mokotów: `--timeout` stops waiting for any single pabutools call.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pb_ledger.domain.counting import count
from pb_ledger.domain.equal_shares import EqualShares, Run
from pb_ledger.domain.rules import Rules
from pb_ledger.pabulib import PabulibElection, parse_pabulib, to_minor_units

PABULIB = ROOT.parent / "shared" / "data" / "pabulib"
COMPARED = [
    "Poland_Swiecie_2023.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Warszawa_2021_Mokotow.pb",
    "Netherlands_Assen_2024.pb",
]
ALONE = "Poland_Lodz_2022.pb"
CLOSING = "00" * 32
UNIT = 100  # minor units in one unit of currency (every file here has at most two decimals)
T = TypeVar("T")


class TimedOut(Exception):
    pass


def timed(call: Callable[[], T], repeat: int = 1, timeout: float | None = None) -> tuple[T | None, float]:
    """The result of `call` and its best time over `repeat` runs; (None, timeout) when it runs past `timeout`."""

    def stop(signum: int, frame: Any) -> None:
        raise TimedOut

    best, result = float("inf"), None
    for _ in range(repeat):
        previous = signal.signal(signal.SIGALRM, stop)
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        started = time.perf_counter()
        try:
            result = call()
        except TimedOut:
            return None, float(timeout or 0)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        best = min(best, time.perf_counter() - started)
    return result, best


def our_winners(election: PabulibElection, rule: str, **extra: Any) -> list[str]:
    costs = {project.project_id: to_minor_units(project.cost) for project in election.projects}
    rules = Rules(vote_type=election.meta["vote_type"], min_length=0, rule=rule, tie_break="lower-cost", **extra)
    ballots = [(vote.vote, vote.points) for vote in election.votes]
    return count(rules, costs, ballots, to_minor_units(election.meta["budget"]), CLOSING).winners


def pabutools_convention(election: PabulibElection) -> list[str]:
    """Our MES core along pabutools' Add1: B / n + k units per voter, the first exhaustive outcome (or the last
    feasible one when an outcome overspends)."""
    costs = {project.project_id: to_minor_units(project.cost) for project in election.projects}
    profile = Counter(frozenset(vote.vote) for vote in election.votes)
    supported = {project for ballot in profile for project in ballot}
    candidates = [project for project in costs if project in supported]
    rank = {project: position for position, project in enumerate(sorted(candidates, key=str.encode))}
    mes = EqualShares(candidates, costs, profile, rank)
    budget = to_minor_units(election.meta["budget"])
    previous: Run | None = None
    step = 0
    while True:
        run = mes.run(Fraction(budget, mes.voters) + step * UNIT)
        spent = sum(costs[project] for project in run.winners)
        if spent > budget:
            return previous.winners if previous else []
        if all(project in run.winners or costs[project] > budget - spent for project in candidates):
            return run.winners
        previous, step = run, step + 1


def pabutools_calls(name: str) -> tuple[Callable[[], list[str]], Callable[[], list[str]]]:
    from pabutools.election import Cost_Sat
    from pabutools.election import parse_pabulib as pabutools_parse
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    instance, profile = pabutools_parse(str(PABULIB / name))
    approvals = Counter(project.name for ballot in profile for project in ballot)
    greedy_ties = TieBreakingRule(lambda i, p, project: (project.cost, project.name.encode()))
    mes_ties = TieBreakingRule(lambda i, p, project: (project.cost, -approvals[project.name], project.name.encode()))

    def greedy() -> list[str]:
        allocation = greedy_utilitarian_welfare(
            instance, profile.as_multiprofile(), sat_class=Cost_Sat, tie_breaking=greedy_ties
        )
        return [project.name for project in allocation]

    def mes_add1() -> list[str]:
        allocation = method_of_equal_shares(
            instance, profile.as_multiprofile(), sat_class=Cost_Sat, tie_breaking=mes_ties, voter_budget_increment=1
        )
        return [project.name for project in allocation]

    return greedy, mes_add1


def official_note(election: PabulibElection, ours: list[str] | None, official: set[str]) -> str:
    rule = election.meta.get("rule", "unknown")
    if not rule.startswith("equalshares"):
        return f"(the official rule is {rule})"
    return f"ours = official winners: {set(ours or []) == official}"


def seconds(value: float) -> str:
    return f"{value:8.3f} s"


def ratio(theirs: float, ours: float, timed_out: bool) -> str:
    return f"{'>' if timed_out else ' '}{theirs / ours:8.1f}x" if ours > 0 else "       -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=None, help="give up on a pabutools call after this long")
    parser.add_argument("--repeat", type=int, default=3, help="our timings: the best of this many runs")
    args = parser.parse_args()
    header = f"{'election':40} {'rule':14} {'ours':>10} {'pabutools':>11} {'ratio':>10}  result"
    print(header)
    print("-" * len(header))
    for name in COMPARED:
        election = parse_pabulib(PABULIB / name)
        greedy_call, mes_call = pabutools_calls(name)
        short = name.removesuffix(".pb")

        ours, our_time = timed(lambda e=election: our_winners(e, "greedy"), args.repeat)
        theirs, their_time = timed(greedy_call, 1, args.timeout)
        verdict = "timed out" if theirs is None else ("equal" if theirs == ours else "DIFFERENT")
        print(
            f"{short:40} {'greedy':14} {seconds(our_time)} {seconds(their_time)} "
            f"{ratio(their_time, our_time, theirs is None)}  {verdict}"
        )

        ours, our_time = timed(
            lambda e=election: our_winners(e, "equalshares/add1", voter_budget_increment=UNIT), args.repeat
        )
        convention, convention_time = timed(lambda e=election: pabutools_convention(e), args.repeat)
        theirs, their_time = timed(mes_call, 1, args.timeout)
        official = {project.project_id for project in election.projects if project.selected == 1}
        if theirs is None:
            verdict = "timed out"
        else:
            same = "equal" if set(theirs) == set(ours or []) else "differ (Add1 conventions)"
            verdict = f"{same}; pabutools' convention run by us: {'equal' if convention == theirs else 'DIFFERENT'}"
        print(
            f"{'':40} {'MES+add1':14} {seconds(our_time)} {seconds(their_time)} "
            f"{ratio(their_time, our_time, theirs is None)}  {verdict}"
        )
        print(
            f"{'':40} {'  (pabu conv.)':14} {seconds(convention_time)} {seconds(their_time)} "
            f"{ratio(their_time, convention_time, theirs is None)}  "
            f"{official_note(election, ours, official)}"
        )

    election = parse_pabulib(PABULIB / ALONE)
    threshold = int(election.meta["min_project_score_threshold"])
    _, greedy_time = timed(lambda: our_winners(election, "greedy-threshold", threshold=threshold), args.repeat)
    _, mes_time = timed(lambda: our_winners(election, "equalshares/add1", voter_budget_increment=UNIT), args.repeat)
    short = ALONE.removesuffix(".pb")
    print(f"{short:40} {'greedy-thr.':14} {seconds(greedy_time)}")
    print(f"{'':40} {'MES+add1':14} {seconds(mes_time)}  (every project a candidate; {len(election.votes)} ballots)")


if __name__ == "__main__":
    main()
