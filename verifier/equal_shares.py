"""The Method of Equal Shares, its Add1 completion and the comparison step (log-format §5.2), for the recount.

Written from the document, independently of the service's implementation. Exact arithmetic with `Fraction`.

Voters who cast the same ballot are one *group* with a size. Voters whose remaining budgets were always changed
together share a *level*: a numbered budget value. Every project keeps how many of its supporters sit at each level,
so its price is found from a handful of levels instead of from every voter. Buying a project moves each of its
supporters' groups from its level to the level "that budget minus the price, or 0".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

Profile = Mapping[frozenset[str], int]  # each distinct ballot (the set of projects it names) -> how many cast it
TieKey = Callable[[str], object]

ADD1 = ("equalshares/add1", "equalshares/add1-comparison")
COMPARISON = ("equalshares-comparison", "equalshares/add1-comparison")


def equal_shares(
    rule: str,
    costs: Mapping[str, int],
    scores: Mapping[str, int],
    profile: Profile,
    budget: int,
    threshold: int | None,
    increment: int | None,
    tie_key: TieKey,
) -> tuple[str, ...]:
    """The equal-shares outcome of `rule` before any comparison step: the selected projects, in selection order.

    `tie_key` orders the projects as the declared tie-break does (ascending); `increment` is the rule's
    `voter_budget_increment` (add1 rules only).
    """
    floor = max(1, threshold if threshold is not None else 0)
    candidates = [project for project in costs if scores[project] >= floor]
    voters = sum(profile.values())
    if rule not in ADD1:
        if voters == 0:
            return ()
        return _Mes(candidates, costs, scores, profile, tie_key).run(Fraction(budget, voters))
    if sum(costs[project] for project in candidates) <= budget:
        return tuple(sorted(candidates, key=lambda project: (-scores[project], tie_key(project))))
    assert increment is not None and increment >= 1
    mes = _Mes(candidates, costs, scores, profile, tie_key)
    kept = mes.run(Fraction(budget, voters))
    start = budget // (voters * increment)
    step = 1
    while True:
        trial = mes.run(Fraction((start + step) * increment))
        if sum(costs[project] for project in trial) > budget:
            return kept
        kept = trial
        step += 1


def greedy_is_preferred(profile: Profile, equal_shares_winners: Sequence[str], greedy_winners: Sequence[str]) -> bool:
    """The comparison step: True when more ballots name more greedy winners than equal-shares winners than the
    other way round."""
    mes, greedy = frozenset(equal_shares_winners), frozenset(greedy_winners)
    for_mes = for_greedy = 0
    for ballot, size in profile.items():
        difference = len(ballot & greedy) - len(ballot & mes)
        if difference > 0:
            for_greedy += size
        elif difference < 0:
            for_mes += size
    return for_greedy > for_mes


class _Mes:
    """The candidates' supporters as groups of identical ballots, ready for runs with any per-voter budget."""

    def __init__(
        self,
        candidates: Sequence[str],
        costs: Mapping[str, int],
        scores: Mapping[str, int],
        profile: Profile,
        tie_key: TieKey,
    ) -> None:
        wanted = set(candidates)
        self.costs = {project: costs[project] for project in candidates}
        self.scores = scores
        self.tie_key = tie_key
        sizes: dict[frozenset[str], int] = {}
        for ballot, size in profile.items():
            kept = ballot & wanted
            if kept:
                sizes[kept] = sizes.get(kept, 0) + size
        self.groups = list(sizes.items())
        self.groups_of: dict[str, list[int]] = {project: [] for project in candidates}
        self.supporters = dict.fromkeys(candidates, 0)
        for number, (ballot, size) in enumerate(self.groups):
            for project in ballot:
                self.groups_of[project].append(number)
                self.supporters[project] += size

    def run(self, voter_budget: Fraction) -> tuple[str, ...]:
        """MES(voter_budget): the projects selected, in the order selected."""
        values: list[Fraction] = [voter_budget]  # level number -> the budget each voter at that level holds
        self.sort_keys = [_sort_key(voter_budget)]
        level_of = [0] * len(self.groups)  # group number -> its level
        at_level = {project: {0: count} for project, count in self.supporters.items() if count > 0}
        # effective votes cost / price never rise as voters spend: the last value computed is an upper bound
        ceiling = {project: Fraction(count) for project, count in self.supporters.items()}
        selected: list[str] = []
        while at_level:
            choice = self._choose(at_level, values, ceiling)
            if choice is None:
                break
            project, price = choice
            selected.append(project)
            self._pay(project, price, at_level, values, level_of)
        return tuple(selected)

    def _choose(
        self, at_level: dict[str, dict[int, int]], values: list[Fraction], ceiling: dict[str, Fraction]
    ) -> tuple[str, Fraction] | None:
        best: str | None = None
        best_votes, best_price = Fraction(0), Fraction(0)
        # the most promising first (a rough integer key is enough to order them; the test below is exact)
        promising = sorted(at_level, key=lambda name: ceiling[name].numerator * 2**32 // ceiling[name].denominator)
        for project in reversed(promising):
            if best is not None and ceiling[project] < best_votes:
                continue
            cost = self.costs[project]
            levels = sorted(at_level[project].items(), key=lambda item: self.sort_keys[item[0]])
            # poorest first: a level that cannot pay an equal share of what is left pays all it has
            left, sharing, price = Fraction(cost), self.supporters[project], None
            for level, count in levels:
                if left <= values[level] * sharing:
                    price = left / sharing
                    break
                left -= values[level] * count
                sharing -= count
            if price is None:  # every supporter would pay all they have, and it is not enough
                del at_level[project]
                continue
            votes = cost / price
            ceiling[project] = votes
            if best is None or votes > best_votes or (votes == best_votes and self._before(project, best)):
                best, best_votes, best_price = project, votes, price
        return None if best is None else (best, best_price)

    def _before(self, project: str, other: str) -> bool:
        """Between equally effective projects: the cheaper, then the more approved, then the declared tie-break."""
        costs, scores = self.costs, self.scores
        if costs[project] != costs[other]:
            return costs[project] < costs[other]
        if scores[project] != scores[other]:
            return scores[project] > scores[other]
        return bool(self.tie_key(project) < self.tie_key(other))  # type: ignore[operator]

    def _pay(
        self,
        project: str,
        price: Fraction,
        at_level: dict[str, dict[int, int]],
        values: list[Fraction],
        level_of: list[int],
    ) -> None:
        del at_level[project]
        moved: dict[int, int] = {}  # old level -> the level its paying voters move to
        for number in self.groups_of[project]:
            ballot, size = self.groups[number]
            old = level_of[number]
            new = moved.get(old)
            if new is None:
                new = moved[old] = len(values)
                values.append(max(values[old] - price, Fraction(0)))
                self.sort_keys.append(_sort_key(values[new]))
            level_of[number] = new
            for other in ballot:
                counts = at_level.get(other)
                if counts is None:
                    continue
                counts[old] -= size
                if counts[old] == 0:
                    del counts[old]
                counts[new] = counts.get(new, 0) + size


def _sort_key(value: Fraction) -> tuple[int, Fraction]:
    """Orders budgets exactly as `value` does, but mostly by comparing integers: floor(value * 2**64) first."""
    return value.numerator * 2**64 // value.denominator, value
