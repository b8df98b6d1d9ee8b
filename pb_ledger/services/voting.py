"""Stages 3 and 4: rules, the vote, the count and the announcement."""

from __future__ import annotations

import json

import structlog

from pb_ledger.domain import voting as domain
from pb_ledger.domain.cycle import Cycle, Event
from pb_ledger.domain.rules import Rules
from pb_ledger.services.repository import Actor, CycleRepository

log = structlog.get_logger()
TEAM: Actor = ("pb-team", "")


class VotingService:
    def __init__(self, repo: CycleRepository) -> None:
        self.repo = repo

    def fix_rules(self, cycle: str, rules: Rules, actor: Actor = TEAM) -> None:
        """Fix the vote rules (method, limits, counting rule, tie-break) before the vote opens."""
        self.repo.run(cycle, lambda c: [domain.decide_fix_rules(c, rules, actor[0])], actor)

    def open_voting(self, cycle: str, actor: Actor = TEAM) -> None:
        """Open the vote on the published projects."""
        self.repo.run(cycle, lambda c: [domain.decide_open(c, actor[0])], actor)
        log.info("voting_opened", cycle=cycle)

    def cast_ballot(self, cycle: str, channel: str, vote: list[str], points: list[int] | None = None,
                    district: str | None = None, actor: Actor = ("voter", "")) -> None:
        """Cast one ballot (online by a voter, paper typed in by a clerk) in a cycle without a register."""
        self.repo.run(cycle, lambda c: [domain.decide_cast(c, channel, vote, points, actor[0], district=district)],
                      actor)

    def close_voting(self, cycle: str, actor: Actor = TEAM) -> None:
        """Close the vote."""
        self.repo.run(cycle, lambda c: [domain.decide_close(c, actor[0])], actor)
        log.info("voting_closed", cycle=cycle)

    def announce_results(self, cycle: str, actor: Actor = TEAM) -> list[str]:
        """Count the ballots with the declared rule and announce the winners; returns them."""
        def decide(c: Cycle) -> list[Event]:
            if c.phase != "counting":
                return [domain.decide_announce(c, (), "", actor[0])]  # refused, with the domain's reason
            closing, checkpoint = self.repo.closing_checkpoint(cycle)
            return [domain.decide_announce(c, self.repo.ballots(cycle), closing, actor[0], checkpoint)]

        winners: list[str] = self.repo.run(cycle, decide, actor)[0][1]["winners"]
        log.info("results_announced", cycle=cycle, winners=len(winners))
        return winners

    def publish_participation_summary(self, cycle: str, thanks: str, actor: Actor = TEAM) -> None:
        """Thank the participants with a summary of the participation (ballots by channel, ideas)."""
        by_channel: dict[str, int] = {}
        for row in self.repo.ledger.iter_cycle_entries(cycle, "BallotCast"):
            channel = json.loads(row.entry)["payload"]["channel"]
            by_channel[channel] = by_channel.get(channel, 0) + 1
        self.repo.run(cycle, lambda c: [domain.decide_participation_summary(c, thanks, by_channel, actor[0])], actor)
