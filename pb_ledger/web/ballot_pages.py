"""Voting online: the eligibility step (national ID number, then the one-time code sent to the resident), the ballot
of the cycle's method (approval, knapsack with a live budget meter, cumulative with a points counter, ordinal ranking,
choose-1), and the ballot receipt. The service checks a ballot against the rules before it spends the one-time code on
it, so a ballot the rules refuse keeps the code for the corrected one; asking for a code answers the same whether or
not the number is on the register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from pb_ledger.domain.errors import DomainError
from pb_ledger.web import forms, labels
from pb_ledger.web.i18n import pick_language
from pb_ledger.web.rendering import render

if TYPE_CHECKING:
    from pb_ledger.web.app import Service


def parse_ballot(form: FormData, method: str, projects: list[str]) -> tuple[list[str], list[int] | None]:
    """The ballot's `vote` (and `points`) from the form of `method`, in the order of the projects on the ballot
    (ranking order for an ordinal ballot)."""
    if method == "cumulative":
        vote, points = [], []
        for project in projects:
            value = forms.optional_whole(form, f"points-{project}", f"points for {project}")
            if value:
                vote.append(project)
                points.append(value)
        return vote, points
    if method == "ordinal":
        ranks: dict[int, str] = {}
        for project in projects:
            rank = forms.optional_whole(form, f"rank-{project}", f"rank of {project}")
            if rank is None:
                continue
            if rank in ranks:
                raise DomainError("rank_repeated", f"rank {rank} is given to {ranks[rank]} and to {project}")
            ranks[rank] = project
        return [ranks[r] for r in sorted(ranks)], None
    chosen = set(form.getlist("vote"))
    return [p for p in projects if p in chosen], None


def ballot_context(service: Service, cycle: str) -> dict[str, Any]:
    """What the ballot page needs: the rules, the projects on the ballot with their costs, the method's limits."""
    rules = service.facts.fact(cycle, "rules") or {}
    ballot = service.facts.fact(cycle, "ballot") or {"projects": []}
    opened = service.facts.fact(cycle, "voting_opened") or {}
    on_ballot = set(opened.get("projects", [])) or {p["project"] for p in ballot["projects"]}
    projects = [p for p in ballot["projects"] if p["project"] in on_ballot]
    districts = opened.get("districts", {})
    for project in projects:
        project["district"] = districts.get(project["project"])
    return {"rules": rules, "method": labels.method_of(rules), "projects": projects,
            "budgets": opened.get("budgets", {}), "register": service.facts.fact(cycle, "register")}


def install_ballot_pages(app: FastAPI, service: Service) -> None:
    def page(request: Request, template: str, cycle_id: str, lang: str | None, status: int = 200,
             **extra: Any) -> HTMLResponse:
        cycle = service.fresh_queries().cycle(cycle_id)
        if cycle is None:
            raise DomainError("unknown_cycle", f"no cycle {cycle_id!r} in this log")
        return render(request, template, lang, status=status, cycle=cycle, **ballot_context(service, cycle_id),
                      **extra)

    @app.get("/cycles/{cycle}/vote", response_class=HTMLResponse, include_in_schema=False)
    def eligibility(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        return page(request, "vote_eligibility.html", cycle, lang, error=None, national_id="")

    @app.post("/cycles/{cycle}/vote/code", response_class=HTMLResponse, include_in_schema=False)
    async def request_code(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        form = await request.form()
        national_id = forms.text(form, "national_id")
        try:
            if not national_id:
                raise DomainError("missing_text", "give your national ID number")
            service.services.ballots.request_code(cycle, national_id, actor=("voter", ""))
        except DomainError as e:
            return page(request, "vote_eligibility.html", cycle, lang, status=_status(e), error=e,
                        national_id=national_id)
        return page(request, "ballot.html", cycle, lang, error=None, national_id=national_id, values={},
                    chosen=[], switch_to=f"/cycles/{cycle}/vote")

    @app.post("/cycles/{cycle}/vote", include_in_schema=False)
    async def cast(request: Request, cycle: str, lang: str | None = None) -> Response:
        form = await request.form()
        context = ballot_context(service, cycle)
        national_id, code = forms.text(form, "national_id"), forms.text(form, "code")
        try:
            vote, points = parse_ballot(form, context["method"] or "approval", [p["project"] for p in
                                                                                 context["projects"]])
            service.services.ballots.cast_online_ballot(cycle, national_id, code, vote, points or None,
                                                        forms.optional(form, "district"), actor=("voter", ""))
        except DomainError as e:
            return page(request, "ballot.html", cycle, lang, status=_status(e), error=e, national_id=national_id,
                        values=forms.kept(form), chosen=form.getlist("vote"), switch_to=f"/cycles/{cycle}/vote")
        [(seq, entry_hash)] = service.ledger.last_appended()
        return RedirectResponse(f"/receipts?seq={seq}&hash={entry_hash}&cast=1&lang={pick_language(lang)}",
                                status_code=303)


def _status(error: DomainError) -> int:
    from pb_ledger.web.errors import status_of

    return status_of(error.code)
