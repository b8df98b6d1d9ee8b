"""The Method of Equal Shares for approval ballots with cost utilities, and its Add1 completion (log-format §5.2).

Pure domain code: standard library only, exact arithmetic (integers; `Fraction` only to report values).

The voters are merged: identical ballots form one group with a multiplicity, and the ballots are cut down to the
candidate projects. During a run every voter's remaining budget depends only on which of the projects selected so
far the voter approves (every supporter of a selected project pays the same price, or all they have left), so the
voters fall into a few *classes*, keyed by the bit mask of the selected projects they approve. Each candidate keeps
how many of its supporters sit in each class; selecting a project moves its supporters' groups to new classes.

Budgets are integers in units of `1 / scale`. When a selected project's price is not a whole number of units,
`scale` is multiplied by the price's denominator and every class budget with it, so the arithmetic stays exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import gcd


@dataclass(frozen=True)
class Purchase:
    """One project selected by a run: the round, and `price`, the most that one supporter paid (minor units)."""

    project: str
    round: int
    price: Fraction
    supporters: int


@dataclass(frozen=True)
class Shortfall:
    """A candidate that was not selected: in `round` its supporters had `money` left in total, less than its cost."""

    project: str
    round: int
    money: Fraction


@dataclass(frozen=True)
class Run:
    """The outcome of one run of the Method of Equal Shares with per-voter budget `voter_budget`."""

    voter_budget: Fraction
    purchases: list[Purchase]
    shortfalls: list[Shortfall]

    @property
    def winners(self) -> list[str]:
        return [purchase.project for purchase in self.purchases]


@dataclass(frozen=True)
class Add1Outcome:
    """The run kept by the Add1 completion, and why the completion stopped where it did."""

    run: Run
    steps: int  # how many increments the kept run has over floor(B / (n * u)); 0 for the run with B / n
    stopped_by: str  # "over-budget" or "all-candidates"
    next_spent: int | None  # what the first refused step would have spent ("over-budget" only)


@dataclass(frozen=True)
class _Classes:
    """How the voters split into classes once the projects of `selected` (a bit mask) are bought.

    `counts[p]` maps class mask -> number of supporters of candidate `p` in that class (None once `p` is bought);
    `population` maps class mask -> number of voters in it. It depends only on the set of projects bought, not on
    the budgets, so runs with other per-voter budgets that buy the same set reuse it. Never changed once built.
    """

    selected: int
    counts: list[dict[int, int] | None]
    population: dict[int, int]


class EqualShares:
    """An election indexed for the Method of Equal Shares: candidates, merged ballots, supporters.

    `candidates` are the projects that may be selected, in any order; `costs` maps each to its cost (> 0);
    `profile` maps each distinct ballot (a frozenset of project ids) to the number of voters who cast it, and counts
    every voter, empty ballots included; `tie_rank` maps each candidate to its position in the declared tie-break
    order (lower first).
    """

    def __init__(
        self,
        candidates: Sequence[str],
        costs: Mapping[str, int],
        profile: Mapping[frozenset[str], int],
        tie_rank: Mapping[str, int],
    ) -> None:
        self.names = list(candidates)
        index = {project: position for position, project in enumerate(self.names)}
        self.costs = [costs[project] for project in self.names]
        self.ranks = [tie_rank[project] for project in self.names]
        self.voters = sum(profile.values())
        merged: dict[tuple[int, ...], int] = {}
        for ballot, multiplicity in profile.items():
            kept = tuple(sorted(index[project] for project in ballot if project in index))
            if kept:
                merged[kept] = merged.get(kept, 0) + multiplicity
        self.group_projects = list(merged)
        self.group_sizes = list(merged.values())
        self.group_bits = [sum(1 << project for project in projects) for projects in self.group_projects]
        self.supporters = [0] * len(self.names)
        self.groups_of: list[list[int]] = [[] for _ in self.names]
        for group, (projects, size) in enumerate(zip(self.group_projects, self.group_sizes, strict=True)):
            for project in projects:
                self.supporters[project] += size
                self.groups_of[project].append(group)
        self.neighbours = [
            sorted({other for group in groups for other in self.group_projects[group]}) for groups in self.groups_of
        ]
        self.root = _Classes(0, [{0: size} for size in self.supporters], {0: self.voters})
        # the classes met by this run and the two before it, by set of projects bought
        self._met: list[dict[int, _Classes]] = []

    def run(self, voter_budget: Fraction) -> Run:
        """One run of the Method of Equal Shares in which every voter starts with `voter_budget` (minor units)."""
        return self._play(voter_budget).result()

    def add1(self, budget: int, increment: int) -> Add1Outcome:
        """The Add1 completion of §5.2 (pabulib checker convention); the candidates must cost more than `budget`.

        Step k runs with (floor(B / (n * u)) + k) * u per voter, while the outcome fits the budget. A run also proves
        how many of the following steps buy the same projects (see `_Run`): those are passed over, as they would
        fit the budget too, and only the last of them is run again, for its prices.
        """
        cost_of = dict(zip(self.names, self.costs, strict=True))
        kept = self.run(Fraction(budget, self.voters))
        base = budget // (self.voters * increment)
        step = 0
        everyone = len(self.names)
        while len(kept.purchases) < everyone:
            playing = self._play(Fraction((base + step + 1) * increment))
            trial = playing.result()
            spent = sum(cost_of[project] for project in trial.winners)
            if spent > budget:
                return Add1Outcome(self._rerun(kept, step, Fraction((base + step) * increment)), step, "over-budget", spent)
            alike = playing.steps_alike(increment) if len(trial.purchases) < everyone else 0
            kept, step = trial, step + 1 + alike
        return Add1Outcome(self._rerun(kept, step, Fraction((base + step) * increment)), step, "all-candidates", None)

    def _play(self, voter_budget: Fraction) -> _Run:
        self._met = [{}, *self._met[:2]]
        return _Run(self, voter_budget)

    def _rerun(self, kept: Run, step: int, voter_budget: Fraction) -> Run:
        """The run of step `step`: `kept`, or its run again at `voter_budget` if `kept` proved that step alike."""
        return kept if step == 0 or kept.voter_budget == voter_budget else self.run(voter_budget)

    def classes_after(self, parent: _Classes, project: int) -> _Classes:
        """The classes once `project` is bought on top of `parent` (built once, then shared between runs)."""
        selected = parent.selected | (1 << project)
        for met in self._met:
            known = met.get(selected)
            if known is not None:
                break
        else:
            known = self._split(parent, project, selected)
        self._met[0][selected] = known
        return known

    def _split(self, parent: _Classes, project: int, selected: int) -> _Classes:
        counts = list(parent.counts)
        counts[project] = None
        for other in self.neighbours[project]:
            shared = counts[other]
            if shared is not None:
                counts[other] = dict(shared)  # copied before it changes; the others stay shared
        population = dict(parent.population)
        bit, before = 1 << project, parent.selected
        for group in self.groups_of[project]:
            size = self.group_sizes[group]
            old = self.group_bits[group] & before
            new = old | bit
            left = population[old] - size
            if left:
                population[old] = left
            else:
                del population[old]
            population[new] = population.get(new, 0) + size
            for other in self.group_projects[group]:
                classes = counts[other]
                if classes is None:
                    continue
                rest = classes[old] - size
                if rest:
                    classes[old] = rest
                else:
                    del classes[old]
                classes[new] = classes.get(new, 0) + size
        return _Classes(selected, counts, population)


class _Run:
    """The state of one run; `result()` plays it to the end.

    Besides the outcome, a run finds how far the per-voter budget may rise above its own before the purchases could
    change (`reach`). Within a run that buys the same projects in the same order, every budget and price is an
    affine function of the per-voter budget b, so each budget keeps its `slope` (d budget / d b, same units). Every
    strict inequality the run's decisions rest on is recorded with the rate at which it shrinks as b rises; `reach`
    is the nearest point where one of them could fail. The decisions are:
    - the project bought, with its exact price: each of its poorer supporters (who pay all they have) stays below the
      price (the richer ones only pull away: budgets rise at least as fast as b, prices never rise with b);
    - each other candidate's price per unit of cost stays above the one bought. Its last computed price, with the
      same split into poorer and richer supporters, is a lower bound of its true price at any budgets (the true
      price is a convex function of the budgets, and this is a tangent), and prices only rise from round to round;
    - a candidate found unaffordable stays unaffordable: its supporters' money stays below its cost.
    """

    def __init__(self, election: EqualShares, voter_budget: Fraction) -> None:
        self.election = election
        self.voter_budget = voter_budget
        self.scale = voter_budget.denominator
        self.budgets: dict[int, int] = {0: voter_budget.numerator}  # class mask -> budget in units of 1/scale
        self.slopes: dict[int, int] = {0: voter_budget.denominator}  # class mask -> d budget / d b, same units
        self.classes = election.root
        # a lower bound of each candidate's price per unit of cost, rho / cost, as an affine function of b:
        # (value, slope, denominator); prices only rise as the voters spend, so the last value computed bounds the
        # later ones
        self.bounds = [(1, 0, max(size, 1)) for size in election.supporters]
        self.remaining = [project for project, size in enumerate(election.supporters) if size > 0]
        self.purchases: list[Purchase] = []
        self.shortfalls: list[Shortfall] = [
            Shortfall(election.names[project], 0, Fraction(0))
            for project, size in enumerate(election.supporters)
            if size == 0
        ]
        self.reach = (1, 0)  # (numerator, denominator), denominator 0 for no limit

    def result(self) -> Run:
        round_number = 0
        while self.remaining:
            round_number += 1
            best = self._best(round_number)
            if best is None:
                break
            self._buy(*best, round_number)
        return Run(self.voter_budget, self.purchases, self.shortfalls)

    def steps_alike(self, increment: int) -> int:
        """How many steps of `increment` above this run's budget provably buy the same projects in the same order."""
        numerator, denominator = self.reach
        if denominator == 0:
            return 0  # nothing can change it: no step decides anything new (kept step by step, as without reach)
        return max(0, (numerator - 1) // (increment * denominator))

    def _hold(self, value: int, fall: int) -> None:
        """Record a decision that rests on `value > 0`, where `value` falls by `fall` for each unit b rises."""
        if value <= 0:
            self.reach = (0, 1)
        elif fall > 0 and value * self.reach[1] < self.reach[0] * fall:
            self.reach = (value, fall)

    def _best(self, round_number: int) -> tuple[int, int, int, int] | None:
        """The candidate with the lowest price per unit of cost, ties broken as §5.2 says; drops unaffordable ones.

        Returns (candidate, need, need_slope, payers): its price is `need / payers` units of 1/scale.
        """
        bounds = self.bounds
        self.remaining.sort(key=lambda project: (bounds[project][0] << 64) // bounds[project][2])
        best: tuple[int, int, int, int] | None = None
        best_num, best_den = 0, 1
        still: list[int] = []
        for project in self.remaining:
            bound_num, _, bound_den = bounds[project]
            if best is not None and bound_num * best_den > best_num * bound_den:
                still.append(project)  # cannot beat the best this round
                continue
            priced = self._price(project, round_number)
            if priced is None:
                continue  # even all they have is not enough: dropped
            still.append(project)
            need, need_slope, payers = priced
            num, den = need, payers * self.election.costs[project] * self.scale
            bounds[project] = (num, need_slope, den)
            if best is None or num * best_den < best_num * den:
                best, best_num, best_den = (project, need, need_slope, payers), num, den
            elif num * best_den == best_num * den and self._wins_tie(project, best[0]):
                best = (project, need, need_slope, payers)
        self.remaining = still
        if best is not None:
            self._hold_best(best[0])
        return best

    def _price(self, project: int, round_number: int) -> tuple[int, int, int] | None:
        """(need, need_slope, payers): the candidate's price is need / payers; None (and a shortfall) if unaffordable."""
        classes = self.classes.counts[project]
        assert classes is not None
        budgets, slopes = self.budgets, self.slopes  # a class absent from `budgets` has nothing left
        cost = self.election.costs[project] * self.scale
        live = classes.keys() & budgets.keys()  # voters with nothing left pay nothing
        payers = sum(map(classes.__getitem__, live))
        need, need_slope = cost, 0
        for mask in sorted(live, key=budgets.__getitem__):  # poorest first: a class that cannot pay an equal
            own = budgets[mask]  # share pays all it has
            if need <= payers * own:
                return need, need_slope, payers
            size = classes[mask]
            need -= size * own
            need_slope -= size * slopes[mask]
            payers -= size
        self._hold(need, -need_slope)  # its supporters' money stays below its cost
        self.shortfalls.append(Shortfall(self.election.names[project], round_number, Fraction(cost - need, self.scale)))
        return None

    def _hold_best(self, chosen: int) -> None:
        """Record that every other candidate's price per unit of cost stays above the chosen one's (or equal, for a
        candidate that loses the tie)."""
        num, slope, den = self.bounds[chosen]
        for project in self.remaining:
            if project != chosen:
                other_num, other_slope, other_den = self.bounds[project]
                gap, fall = other_num * den - num * other_den, slope * other_den - other_slope * den
                if gap == 0 and fall <= 0 and self._wins_tie(chosen, project):
                    continue  # tied, and it stays at least tied: the tie-break keeps it behind
                self._hold(gap, fall)

    def _wins_tie(self, project: int, other: int) -> bool:
        """Equal price per unit of cost: the lower cost wins, then more supporters, then the declared tie-break."""
        election = self.election
        mine = (election.costs[project], -election.supporters[project], election.ranks[project])
        theirs = (election.costs[other], -election.supporters[other], election.ranks[other])
        return mine < theirs

    def _buy(self, project: int, need: int, need_slope: int, payers: int, round_number: int) -> None:
        election = self.election
        common = gcd(need, need_slope, payers)
        factor = payers // common
        budgets, slopes = self.budgets, self.slopes
        if factor > 1:  # refine the unit so that the price and its slope are whole numbers of units
            self.scale *= factor
            budgets = self.budgets = {mask: value * factor for mask, value in budgets.items()}
            slopes = self.slopes = {mask: value * factor for mask, value in slopes.items()}
        price, price_slope = need // common, need_slope // common
        self.purchases.append(
            Purchase(election.names[project], round_number, Fraction(price, self.scale), election.supporters[project])
        )
        self.remaining.remove(project)
        paying = self.classes.counts[project]
        assert paying is not None
        bit = 1 << project
        holding = paying.keys() & budgets.keys()
        for mask in holding:
            own = budgets[mask]
            if own > price:  # a voter who cannot pay the price pays all and keeps nothing
                budgets[mask | bit] = own - price
                slopes[mask | bit] = slopes[mask] - price_slope
            else:
                self._hold(price - own, slopes[mask] - price_slope)  # it stays too poor to pay the price
        self.classes = election.classes_after(self.classes, project)
        for mask in holding - self.classes.population.keys():
            del budgets[mask]  # every voter of this class moved on
            del slopes[mask]
