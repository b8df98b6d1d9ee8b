"""What the public may see of a vote before it is closed: no vote count (issue 6).

Until a cycle's `VotingClosed`, no page and no API response shows how many ballots were cast nor how they are spread
over the projects. Scores exist only once results are announced, so the one running count to withhold is the number
of ballots, and the ballots themselves: while a vote is open, the public log (its entries and its export) ends just
before the entry that opened it, so nobody can tally the ballots as they come in. At the close everything is
published, and the checkpoints and receipts signed meanwhile still verify against it (a Merkle root reveals nothing
of the entries it covers).

The rules of a cycle (log-format §5.1) have no member that allows a running count today; were one added, `counts_public`
is the one place that would read it. What stays visible during the vote is the log's size (the `seq` of a ballot
receipt and the size of a checkpoint grow with every entry): an observer can estimate turnout from it, not a tally.
"""

from __future__ import annotations

from typing import Any

from pb_ledger.domain.cycle import BEFORE_VOTE, VOTE

SECRET_PHASES = (*BEFORE_VOTE, VOTE)


def counts_public(cycle: dict[str, Any]) -> bool:
    """Whether the cycle's vote counts may be shown: once its vote is closed."""
    return cycle["phase"] not in SECRET_PHASES


def public_ballots(cycle: dict[str, Any]) -> int | None:
    """The number of ballots, or None while it is secret."""
    return int(cycle["ballots"]) if counts_public(cycle) else None


def public_log_size(head: int, first_open_vote: int | None) -> int:
    """How many entries of the log the public may read: all of them, or, while a vote is open, those before the
    first ballot could be (the entries up to and including the `VotingOpened` of the earliest open vote)."""
    return head if first_open_vote is None else min(head, first_open_vote + 1)
