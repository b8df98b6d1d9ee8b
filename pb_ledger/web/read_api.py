"""API routes of the read models the pages use beyond the cycles model: a cycle's set-up (timeline, criteria, rules,
council decision, envelopes, register counts, the list put to the vote) and its paper batches with their per-line
reports. Who may call them: authz.MATRIX."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from pb_ledger.web.schemas import (
    CycleActivityPublic,
    CycleSetupPublic,
    PaperBallotsPublic,
    PaperBatchPublic,
    StationPublic,
)

if TYPE_CHECKING:
    from pb_ledger.web.app import Service

CYCLE = "/api/v1/logs/{log}/cycles/{cycle}"


def _clean(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if payload is None else {k: v for k, v in payload.items() if not k.startswith("_")}


def install_read_api(app: FastAPI, service: Service, check: Callable[[str, str], None]) -> None:
    @app.get(f"{CYCLE}/setup", response_model=CycleSetupPublic, tags=["read models"])
    def setup(log: str, cycle: str) -> CycleSetupPublic:
        """How the cycle is set up: its latest council decision, timeline, criteria, envelopes, rules, register counts
        and the projects put to the vote."""
        check(log, cycle)
        facts = service.facts
        ballot = facts.fact(cycle, "ballot")
        return CycleSetupPublic(
            cycle=cycle, council_decision=_clean(facts.fact(cycle, "council")),  # type: ignore[arg-type]
            timeline=(facts.fact(cycle, "timeline") or {}).get("phases", []),
            criteria=(facts.fact(cycle, "criteria") or {}).get("criteria", []),
            envelopes=(facts.fact(cycle, "envelopes") or {}).get("envelopes", {}),
            rules=_clean(facts.fact(cycle, "rules")), voter_register=_clean(facts.fact(cycle, "register")),  # type: ignore[arg-type]
            projects_on_ballot=None if ballot is None else ballot["projects"])

    @app.get(f"{CYCLE}/paper-batches", response_model=PaperBallotsPublic, tags=["read models"])
    def paper_batches(log: str, cycle: str) -> PaperBallotsPublic:
        """The paper batches entered with their per-line reports, and the polling stations reconciled."""
        check(log, cycle)
        batches = [PaperBatchPublic(station=b["station"], batch=b["batch"], seq=b["_seq"], lines=b["lines"],
                                    accepted=b["accepted"], refused=b["refused"])
                   for b in service.facts.facts(cycle, "batch")]
        stations = [StationPublic(**_clean(s)) for s in service.facts.facts(cycle, "reconciled")]  # type: ignore[arg-type]
        return PaperBallotsPublic(cycle=cycle, batches=batches, stations=stations)

    @app.get(f"{CYCLE}/activity", response_model=CycleActivityPublic, tags=["read models"])
    def activity(log: str, cycle: str) -> CycleActivityPublic:
        """Citizen forums, the participation summary, site visits, attachments and the evaluation report."""
        check(log, cycle)
        facts = service.facts

        def rows(kind: str) -> list[dict[str, Any]]:
            return [_clean(row) or {} for row in facts.facts(cycle, kind)]

        return CycleActivityPublic(cycle=cycle, forums=rows("forum"),
                                   participation_summary=_clean(facts.fact(cycle, "participation")),
                                   site_visits=rows("visit"), attachments=rows("attachment"),
                                   evaluation_report=_clean(facts.fact(cycle, "report")))
