"""Budgeting cycles as the log tells them: setup, rules, projects, voting, closing and the announced results.

The book keeps, per cycle, only what the recount needs (costs, rules, running scores, ballot count), checks each
event's shape and order, validates ballots (V5) and compares the announced results with the recount (V6).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from verifier.ballots import EQUAL_SHARES_RULES, VoteRules, parse_rules, read_ballot
from verifier.counting import Outcome, add_ballot, count
from verifier.entry import Entry
from verifier.errors import InvalidBallot, RulesViolation, TallyMismatch
from verifier.fields import Fields
from verifier.results import Announcement, compare_results, read_announcement

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
    profile: Counter[frozenset[str]] = field(default_factory=Counter)  # the ballots, for the equal-shares rules
    ballots: int = 0
    register: set[str] | None = None  # ballot tokens of the eligible residents (log-format §5.3)
    register_count: int = 0
    voted: set[str] = field(default_factory=set)
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
        projects = Fields(entry.payload, "VotingOpened payload", RulesViolation, seq).texts("projects")
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
        tokens = Fields(entry.payload, "BallotTokensPublished payload", RulesViolation, seq).texts("tokens")
        if any(len(t) != 64 or t.strip("0123456789abcdef") for t in tokens):
            raise RulesViolation("a ballot token is not 64 lowercase hex characters", seq)
        if tokens != sorted(set(tokens)) or (cycle.register and tokens and tokens[0] <= max(cycle.register)):
            raise RulesViolation("ballot tokens must be distinct and sorted across the register", seq)
        cycle.register.update(tokens)
        if len(cycle.register) > cycle.register_count:
            raise RulesViolation(f"more tokens than the {cycle.register_count} residents the register counts", seq)

    def _ballot_cast(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, VOTING, "BallotCast", seq)
        assert cycle.rules is not None
        cycle.ballots += 1
        ballot = read_ballot(entry.payload, cycle.rules, cycle.costs, seq)
        _check_token(cycle, entry.payload.get("token"), seq)
        add_ballot(cycle.scores, ballot, cycle.rules.vote_type)
        if cycle.rules.rule in EQUAL_SHARES_RULES:
            cycle.profile[frozenset(ballot.vote)] += 1

    def _voting_closed(self, cycle: Cycle, entry: Entry, entry_hash: str, seq: int) -> None:
        _require_phase(cycle, VOTING, "VotingClosed", seq)
        assert cycle.rules is not None
        declared = Fields(entry.payload, "VotingClosed payload", RulesViolation, seq).integer("ballots", minimum=0)
        cycle.phase, cycle.closing_entry = CLOSED, entry_hash
        cycle.recount = count(cycle.scores, cycle.costs, cycle.budget, cycle.rules, entry_hash, cycle.profile)
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


def _check_token(cycle: Cycle, token: object, seq: int) -> None:
    """One counted ballot per registered token (§5.3); no token when the cycle has no register."""
    if cycle.register is None:
        if token is not None:
            raise InvalidBallot("the ballot carries a token but the cycle published no register", seq)
        return
    if not isinstance(token, str) or token not in cycle.register:
        raise InvalidBallot("the ballot's token is not in the cycle's register of eligible residents", seq)
    if token in cycle.voted:
        raise InvalidBallot("a second ballot with the same token: one ballot per eligible resident", seq)
    cycle.voted.add(token)


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
