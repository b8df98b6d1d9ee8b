"""The verification report: one status per numbered check, one summary per cycle, and the first failure.

Rendered as a short text for people and as one JSON object for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.errors import VerificationError

PASS, FAIL, NOT_CHECKED = "pass", "fail", "not-checked"
CHECK_NAMES = {
    "V1": "export shape and header",
    "V2": "sequence continuity",
    "V3": "hash chain",
    "V4": "signatures and key authorisation",
    "V5": "cycle events, rules and ballot validity",
    "V6": "recount equals announced results",
    "V7": "checkpoints",
}


@dataclass(frozen=True)
class CheckResult:
    id: str
    status: str
    detail: str
    seq: int | None = None

    @property
    def name(self) -> str:
        return CHECK_NAMES[self.id]


@dataclass(frozen=True)
class CycleSummary:
    cycle: str
    title: str
    rule: str | None
    ballots: int
    announced_winners: list[str] | None
    recomputed_winners: list[str] | None
    scores: dict[str, int]


@dataclass(frozen=True)
class Report:
    log: str | None
    entries: int
    checks: list[CheckResult]
    cycles: list[CycleSummary]
    error: VerificationError | None

    @property
    def ok(self) -> bool:
        return all(check.status == PASS for check in self.checks)


def counted(number: int, noun: str) -> str:
    """`number` and `noun`, in the plural unless the number is 1 ("1 cycle", "3 ballots")."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def report_json(report: Report) -> dict[str, object]:
    """The report as the JSON object that `pb-verify --json` prints."""
    return {
        "ok": report.ok,
        "log": report.log,
        "entries": report.entries,
        "checks": [
            {"id": check.id, "name": check.name, "status": check.status, "detail": check.detail, "seq": check.seq}
            for check in report.checks
        ],
        "cycles": [
            {
                "cycle": cycle.cycle,
                "title": cycle.title,
                "rule": cycle.rule,
                "ballots": cycle.ballots,
                "announced_winners": cycle.announced_winners,
                "recomputed_winners": cycle.recomputed_winners,
                "scores": cycle.scores,
            }
            for cycle in report.cycles
        ],
        "error": None if report.error is None else _error_json(report.error),
    }


def _error_json(error: VerificationError) -> dict[str, object]:
    return {"seq": error.seq, "code": error.code, "message": error.message}


def report_text(report: Report) -> str:
    """The report as a short text for a person at a terminal."""
    entries = "1 entry" if report.entries == 1 else f"{report.entries} entries"
    lines = [f"pb-verify: log {report.log or '(unknown)'}, {entries}"]
    for check in report.checks:
        status = {PASS: "PASS", FAIL: "FAIL", NOT_CHECKED: "NOT-CHECKED"}[check.status]
        lines.append(f"  {check.id} {status:<11} {check.name}: {check.detail}")
    for cycle in report.cycles:
        lines.extend(_cycle_lines(cycle))
    if report.error is None:
        lines.append("OK: every check passed")
    else:
        where = "" if report.error.seq is None else f" seq {report.error.seq}"
        lines.append(f"FAIL{where}: {report.error.message}")
    return "\n".join(lines)


def _cycle_lines(cycle: CycleSummary) -> list[str]:
    rule = cycle.rule or "(no rules fixed)"
    return [
        f'cycle {cycle.cycle} "{cycle.title}": rule {rule}, {counted(cycle.ballots, "ballot")}',
        f"  announced winners:  {_winners(cycle.announced_winners, 'not announced')}",
        f"  recomputed winners: {_winners(cycle.recomputed_winners, 'not recounted')}",
    ]


def _winners(winners: list[str] | None, missing: str) -> str:
    if winners is None:
        return f"({missing})"
    return ", ".join(winners) if winners else "(none)"
