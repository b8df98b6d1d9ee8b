"""The announced results of a cycle (`ResultsAnnounced`) and their comparison with the recount (log-format §5.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from verifier.counting import Outcome
from verifier.errors import RulesViolation, TallyMismatch
from verifier.fields import Fields


@dataclass(frozen=True)
class Announcement:
    rule: str
    winners: tuple[str, ...]
    scores: dict[str, int]
    spent: int
    closing_entry: str
    reserve: tuple[str, ...] = ()  # absent from the payload means none
    districts: dict[str, tuple[int, tuple[str, ...], int, int]] | None = None  # budget, winners, spent, ballots


def read_announcement(payload: Mapping[str, object], seq: int) -> Announcement:
    """The `ResultsAnnounced` payload; raises RulesViolation when it is malformed."""
    fields = Fields(payload, "ResultsAnnounced payload", RulesViolation, seq)
    scores: dict[str, int] = {}
    for project, value in fields.nested("scores").members.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise fields.fail(f"ResultsAnnounced payload.scores[{project!r}] is not an integer")
        scores[project] = value
    return Announcement(
        rule=fields.text("rule"),
        winners=tuple(fields.texts("winners")),
        scores=scores,
        spent=fields.integer("spent"),
        closing_entry=fields.text("closing_entry"),
        reserve=tuple(fields.texts("reserve")) if fields.has("reserve") else (),
        districts=_districts(fields) if fields.has("districts") else None,
    )


def _districts(fields: Fields) -> dict[str, tuple[int, tuple[str, ...], int, int]]:
    districts = fields.nested("districts")
    read = {}
    for name in districts.members:
        one = districts.nested(name)
        one.exactly(["budget", "winners", "spent", "ballots"])
        read[name] = (one.integer("budget"), tuple(one.texts("winners")), one.integer("spent"), one.integer("ballots"))
    return read


def compare_districts(announced: Announcement, recount: Mapping[str, Outcome], seq: int) -> None:
    """A vote by district: the announcement's per-district results equal each district's recount."""
    if announced.districts is None or set(announced.districts) != set(recount):
        raise TallyMismatch("the announcement does not give the result of every district of the vote", seq)
    for district, outcome in recount.items():
        _, winners, spent, _ = announced.districts[district]
        if winners != outcome.winners or spent != outcome.spent:
            raise TallyMismatch(f"district {district!r}: announced winners {_ids(winners)} spending {spent}; the "
                                f"recount gives {_ids(outcome.winners)} spending {outcome.spent}", seq)


def compare_results(
    announced: Announcement,
    rule: str,
    recount: Outcome,
    scores: Mapping[str, int],
    closing_entry: str,
    seq: int,
) -> None:
    """Raise TallyMismatch unless the announcement equals the recount: rule, winners (set and order), scores, spent."""
    if announced.closing_entry != closing_entry:
        raise TallyMismatch("closing_entry is not the entry hash of the cycle's VotingClosed", seq)
    if announced.rule != rule:
        raise TallyMismatch(f"the announcement applies rule {announced.rule!r}; the rules in force say {rule!r}", seq)
    _compare_winners(announced.winners, recount.winners, seq)
    if announced.reserve != recount.reserve:
        raise TallyMismatch(
            f"announced reserve {_ids(announced.reserve)} differs from the recount's {_ids(recount.reserve)}", seq
        )
    _compare_scores(announced.scores, scores, seq)
    if announced.spent != recount.spent:
        raise TallyMismatch(f"announced spent {announced.spent}; the winners cost {recount.spent}", seq)


def _compare_winners(announced: tuple[str, ...], recomputed: tuple[str, ...], seq: int) -> None:
    if set(announced) != set(recomputed) or len(announced) != len(recomputed):
        raise TallyMismatch(f"announced winners {_ids(announced)} differ from the recount's {_ids(recomputed)}", seq)
    if announced != recomputed:
        raise TallyMismatch(
            f"announced winners {_ids(announced)} are not in the recount's selection order {_ids(recomputed)}", seq
        )


def _compare_scores(announced: Mapping[str, int], recomputed: Mapping[str, int], seq: int) -> None:
    missing = sorted(recomputed.keys() - announced.keys())
    if missing:
        raise TallyMismatch(f"the announced scores omit project {missing[0]!r}", seq)
    unknown = sorted(announced.keys() - recomputed.keys())
    if unknown:
        raise TallyMismatch(f"the announced scores name {unknown[0]!r}, which is not on the ballot", seq)
    for project in sorted(recomputed, key=lambda name: name.encode("utf-8")):
        if announced[project] != recomputed[project]:
            raise TallyMismatch(
                f"announced score of {project!r} is {announced[project]}; the recount gives {recomputed[project]}",
                seq,
            )


def _ids(projects: tuple[str, ...]) -> str:
    return "[" + ", ".join(projects) + "]"
