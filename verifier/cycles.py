"""Budgeting cycles as the log tells them: setup, rules, projects, voting, closing and the announced results.

The book keeps, per cycle, only what the recount needs (costs, rules, running scores, ballot count), checks each
event's shape and order, validates ballots (V5) and compares the announced results with the recount (V6).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from verifier.ballots import EQUAL_SHARES_RULES, Ballot, VoteRules, parse_rules, read_ballot
from verifier.counting import Outcome, add_ballot, ballot_points, count
from verifier.entry import Entry
from verifier.errors import InvalidBallot, RulesViolation, TallyMismatch
from verifier.fields import Fields
from verifier.results import Announcement, compare_districts, compare_results, read_announcement

SETUP, VOTING, CLOSED, ANNOUNCED = "setup", "voting", "closed", "announced"


@dataclass
class Cycle:
    """What the verifier remembers of one cycle while it streams through the log."""

    id: str
    title: str
    budget: int
    phase: str = SETUP
    rules: VoteRules | None = None
    accepted: dict[str, int] = field(default_factory=dict)
    project_of: dict[str, str] = field(default_factory=dict)  # idea -> its project while accepted
    costs: dict[str, int] = field(default_factory=dict)
    scores: dict[str, int] = field(default_factory=dict)
    # the counted ballots by district (None: the vote has one budget), for the equal-shares rules
    profiles: dict[str | None, Counter[frozenset[str]]] = field(default_factory=dict)
    counted: Counter[str | None] = field(default_factory=Counter)  # counted ballots by district
    ballots: int = 0
    district_of: dict[str, str] = field(default_factory=dict)  # project -> district, in a vote by district
    budgets: dict[str, int] = field(default_factory=dict)  # district -> budget, in a vote by district
    register: set[str] | None = None  # ballot tokens of the eligible residents (log-format §5.3)
    register_count: int = 0
    residence: dict[str, str] = field(default_factory=dict)  # token -> district, when the register gives it
    voted: set[str] = field(default_factory=set)
    last_ballot: dict[str, Ballot] = field(default_factory=dict)  # token -> its counted ballot, under re-voting
    closing_entry: str | None = None
    recount: Outcome | None = None
    announcement: Announcement | None = None


class CycleBook:
    """Every cycle of the log, fed one entry at a time in `seq` order."""

    def __init__(self) -> None:
        self.cycles: dict[str, Cycle] = {}
        self._handlers: dict[str, Callable[[Cycle, Entry, str, int], None]] = {
            "RulesFixed": self._rules_fixed,
            "IdeaAccepted": self._idea_accepted,
            "IdeaRejected": self._idea_rejected,
            "VotingOpened": self._voting_opened,
            "BallotCast": self._ballot_cast,
            "VoterRegisterPublished": self._register_published,
            "BallotTokensPublished": self._tokens_published,
            "VotingClosed": self._voting_closed,
            "ResultsAnnounced": self._results_announced,
        }

    def apply(self, entry: Entry, entry_hash: str, seq: int) -> None:
        """Take entry `seq` into account; raises RulesViolation, InvalidBallot or TallyMismatch.

        Event types that do not bear on the count (IdeaSubmitted, and types this verifier does not know) pass through.
        """
        if entry.type == "CycleCreated":
            self._cycle_created(entry, seq)
            return
        handler = self._handlers.get(entry.type)
        if handler is not None:
            handler(self._cycle_of(entry, seq), entry, entry_hash, seq)

    def _cycle_of(self, entry: Entry, seq: int) -> Cycle:
        if entry.cycle is None:
            raise RulesViolation(f"{entry.type} names no cycle", seq)
        cycle = self.cycles.get(entry.cycle)
        if cycle is None:
            raise RulesViolation(f"{entry.type} names cycle {entry.cycle!r}, which no CycleCreated created", seq)
        return cycle

    def _cycle_created(self, entry: Entry, seq: int) -> None:
        if entry.cycle is None:
            raise RulesViolation("CycleCreated names no cycle", seq)
        if entry.cycle in self.cycles:
            raise RulesViolation(f"cycle {entry.cycle!r} is created a second time", seq)
        fields = Fields(entry.payload, "CycleCreated payload", RulesViolation, seq)
        budget = fields.nested("budget")
        budget.exactly(["amount", "currency", "exponent"])
        budget.text("currency")
        budget.integer("exponent", minimum=0)
        amount = budget.integer("amount", minimum=0)
        self.cycles[entry.cycle] = Cycle(entry.cycle, fields.text("title"), amount)

    def _rules_fixed(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, SETUP, "RulesFixed", seq)
        cycle.rules = parse_rules(entry.payload, seq)

    def _idea_accepted(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, SETUP, "IdeaAccepted", seq)
        fields = Fields(entry.payload, "IdeaAccepted payload", RulesViolation, seq)
        idea = fields.text("idea")
        fields.text("reason")
        project, cost = fields.text("project"), fields.integer("cost", minimum=1)
        owner = next((i for i, p in cycle.project_of.items() if p == project), None)
        if owner is not None and owner != idea:
            raise RulesViolation(f"project {project!r} is accepted a second time, for idea {idea!r}", seq)
        _withdraw(cycle, idea)  # a revised decision replaces the idea's earlier one
        cycle.accepted[project], cycle.project_of[idea] = cost, project

    def _idea_rejected(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        fields = Fields(entry.payload, "IdeaRejected payload", RulesViolation, seq)
        idea = fields.text("idea")
        fields.text("criterion")
        if not fields.text("reason").strip():
            raise RulesViolation("IdeaRejected gives no public reason", seq)
        _require_phase(cycle, SETUP, "IdeaRejected", seq)
        _withdraw(cycle, idea)

    def _voting_opened(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, SETUP, "VotingOpened", seq)
        if cycle.rules is None:
            raise RulesViolation("voting opens before any RulesFixed", seq)
        if cycle.register is not None and len(cycle.register) != cycle.register_count:
            raise RulesViolation(f"the register counts {cycle.register_count} residents but publishes "
                                 f"{len(cycle.register)} tokens", seq)
        fields = Fields(entry.payload, "VotingOpened payload", RulesViolation, seq)
        by_district = cycle.rules.district_vote is not None
        fields.exactly(["projects", "districts", "budgets"] if by_district else ["projects"])
        projects = fields.texts("projects")
        if cycle.rules.revoting is not None and cycle.register is None:
            raise RulesViolation("the rules allow re-voting but the cycle published no register", seq)
        if by_district:
            _districts(cycle, fields, projects, seq)
        for project in projects:
            if project not in cycle.accepted:
                raise RulesViolation(f"project {project!r} is on the ballot but no IdeaAccepted gives its cost", seq)
        if len(set(projects)) != len(projects):
            raise RulesViolation("VotingOpened lists a project twice", seq)
        cycle.costs = {project: cycle.accepted[project] for project in projects}
        cycle.scores = dict.fromkeys(projects, 0)
        cycle.phase = VOTING

    def _register_published(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, SETUP, "VoterRegisterPublished", seq)
        fields = Fields(entry.payload, "VoterRegisterPublished payload", RulesViolation, seq)
        cycle.register, cycle.register_count = set(), fields.integer("count", minimum=1)

    def _tokens_published(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, SETUP, "BallotTokensPublished", seq)
        if cycle.register is None:
            raise RulesViolation("ballot tokens published before any VoterRegisterPublished", seq)
        fields = Fields(entry.payload, "BallotTokensPublished payload", RulesViolation, seq)
        fields.exactly(["tokens"], optional=["district"])
        tokens = fields.texts("tokens")
        district = fields.text("district") if fields.has("district") else None
        if any(len(t) != 64 or t.strip("0123456789abcdef") for t in tokens):
            raise RulesViolation("a ballot token is not 64 lowercase hex characters", seq)
        if tokens != sorted(set(tokens)) or any(t in cycle.register for t in tokens):
            raise RulesViolation("ballot tokens must be sorted in each entry and distinct across the register", seq)
        cycle.register.update(tokens)
        if district is not None:
            cycle.residence.update(dict.fromkeys(tokens, district))
        if len(cycle.register) > cycle.register_count:
            raise RulesViolation(f"more tokens than the {cycle.register_count} residents the register counts", seq)

    def _ballot_cast(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, VOTING, "BallotCast", seq)
        assert cycle.rules is not None
        cycle.ballots += 1
        ballot = read_ballot(entry.payload, cycle.rules, cycle.costs, seq)
        _check_district(cycle, ballot, entry.payload.get("token"), seq)
        replaced = _check_token(cycle, entry.payload.get("token"), ballot, seq)
        if replaced is not None:  # re-voting: the earlier ballot of this token no longer counts
            _take_back(cycle, replaced)
        add_ballot(cycle.scores, ballot, cycle.rules.vote_type)
        cycle.counted[ballot.district] += 1
        if cycle.rules.rule in EQUAL_SHARES_RULES:
            cycle.profiles.setdefault(ballot.district, Counter())[frozenset(ballot.vote)] += 1

    def _voting_closed(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, VOTING, "VotingClosed", seq)
        assert cycle.rules is not None
        declared = Fields(entry.payload, "VotingClosed payload", RulesViolation, seq).integer("ballots", minimum=0)
        cycle.phase, cycle.closing_entry = CLOSED, entry_hash
        cycle.recount = _recount(cycle, entry_hash)
        if declared != cycle.ballots:
            message = f"VotingClosed declares {declared} ballots; the cycle holds {cycle.ballots} BallotCast entries"
            raise TallyMismatch(message, seq)

    def _results_announced(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, CLOSED, "ResultsAnnounced", seq)
        assert cycle.rules is not None and cycle.recount is not None and cycle.closing_entry is not None
        cycle.announcement = read_announcement(entry.payload, seq)
        cycle.phase = ANNOUNCED
        rule, closing_entry = cycle.rules.rule, cycle.closing_entry
        compare_results(cycle.announcement, rule, cycle.recount, cycle.scores, closing_entry, seq)
        if cycle.rules.district_vote is not None:
            compare_districts(cycle.announcement, _district_outcomes(cycle, closing_entry), seq)


def _check_token(cycle: Cycle, token: object, ballot: Ballot, seq: int) -> Ballot | None:
    """One counted ballot per registered token (§5.3); no token when the cycle has no register. Under re-voting a
    later ballot replaces the earlier one, which is returned."""
    assert cycle.rules is not None
    if cycle.register is None:
        if token is not None:
            raise InvalidBallot("the ballot carries a token but the cycle published no register", seq)
        return None
    if not isinstance(token, str) or token not in cycle.register:
        raise InvalidBallot("the ballot's token is not in the cycle's register of eligible residents", seq)
    if cycle.rules.revoting is not None:
        replaced = cycle.last_ballot.get(token)
        cycle.last_ballot[token] = ballot
        return replaced
    if token in cycle.voted:
        raise InvalidBallot("a second ballot with the same token: one ballot per eligible resident", seq)
    cycle.voted.add(token)
    return None


def _take_back(cycle: Cycle, ballot: Ballot) -> None:
    assert cycle.rules is not None
    for project, points in ballot_points(ballot, cycle.rules.vote_type):
        cycle.scores[project] -= points
    cycle.counted[ballot.district] -= 1
    if cycle.rules.rule in EQUAL_SHARES_RULES:
        profile = cycle.profiles[ballot.district]
        profile[frozenset(ballot.vote)] -= 1
        if not profile[frozenset(ballot.vote)]:
            del profile[frozenset(ballot.vote)]


def _districts(cycle: Cycle, fields: Fields, projects: list[str], seq: int) -> None:
    """A vote by district: each project on the ballot in one district, each district with its budget (§5.2)."""
    budgets = fields.nested("budgets")
    for district in budgets.members:
        cycle.budgets[district] = budgets.integer(district, minimum=0)
    if sum(cycle.budgets.values()) > cycle.budget:
        raise RulesViolation(f"the district budgets add up to more than the cycle's budget {cycle.budget}", seq)
    districts = fields.nested("districts")
    if set(districts.members) != set(projects):
        raise RulesViolation("VotingOpened.districts must give the district of every project on the ballot", seq)
    for project in projects:
        district = districts.text(project)
        if district not in cycle.budgets:
            raise RulesViolation(f"project {project!r} is in district {district!r}, which has no budget", seq)
        cycle.district_of[project] = district


def _check_district(cycle: Cycle, ballot: Ballot, token: object, seq: int) -> None:
    assert cycle.rules is not None
    if cycle.rules.district_vote is None:
        if ballot.district is not None:
            raise InvalidBallot("the ballot names a district but the vote has a single budget", seq)
        return
    if ballot.district not in cycle.budgets:
        raise InvalidBallot(f"the ballot's district {ballot.district!r} has no budget in this vote", seq)
    for project in ballot.vote:
        if cycle.district_of[project] != ballot.district:
            raise InvalidBallot(f"the ballot in district {ballot.district!r} votes for {project!r}, a project of "
                                f"district {cycle.district_of[project]!r}", seq)
    if cycle.rules.district_vote == "residence" and cycle.residence.get(token) != ballot.district:  # type: ignore[arg-type]
        raise InvalidBallot(f"the ballot is in district {ballot.district!r}, not in its voter's district of "
                            "residence", seq)


def _district_outcomes(cycle: Cycle, closing_entry: str) -> dict[str, Outcome]:
    """Each district counted on its own budget, with its projects and its counted ballots (§5.2)."""
    assert cycle.rules is not None
    outcomes = {}
    for district in sorted(cycle.budgets, key=lambda name: name.encode("utf-8")):
        costs = {p: c for p, c in cycle.costs.items() if cycle.district_of[p] == district}
        if not costs or not cycle.counted[district]:
            outcomes[district] = Outcome((), 0)  # nothing to choose, or nobody chose: nothing is funded
            continue
        scores = {p: cycle.scores[p] for p in costs}
        profile = cycle.profiles.get(district, Counter())
        outcomes[district] = count(scores, costs, cycle.budgets[district], cycle.rules, closing_entry, profile)
    return outcomes


def _recount(cycle: Cycle, closing_entry: str) -> Outcome:
    assert cycle.rules is not None
    if cycle.rules.district_vote is None:
        profile = cycle.profiles.get(None, Counter())
        return count(cycle.scores, cycle.costs, cycle.budget, cycle.rules, closing_entry, profile)
    outcomes = _district_outcomes(cycle, closing_entry).values()
    return Outcome(tuple(p for o in outcomes for p in o.winners), sum(o.spent for o in outcomes),
                   tuple(p for o in outcomes for p in o.reserve))


def _withdraw(cycle: Cycle, idea: str) -> None:
    project = cycle.project_of.pop(idea, None)
    if project is not None:
        del cycle.accepted[project]


def _require_phase(cycle: Cycle, phase: str, event: str, seq: int) -> None:
    if cycle.phase != phase:
        raise RulesViolation(f"{event} in cycle {cycle.id!r} while it is {_PHASE_WORDS[cycle.phase]}", seq)


_PHASE_WORDS = {
    SETUP: "in setup (voting not opened)",
    VOTING: "open for voting",
    CLOSED: "closed for voting",
    ANNOUNCED: "closed with results announced",
}
