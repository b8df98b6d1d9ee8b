"""The citizens' and observers' pages: home with the cycle's timeline, a cycle, the projects put to the vote, the
results with their chart, the works' tracker, submitting an idea and following it by its receipt, checking a receipt
against the latest checkpoint, and the audit page. Pages read the read models and act through the application
services, like the API; who may open each one is in authz.MATRIX."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pb_ledger.domain.errors import DomainError
from pb_ledger.web import forms, labels
from pb_ledger.web.chart import results_chart
from pb_ledger.web.i18n import pick_language
from pb_ledger.web.rendering import render
from pb_ledger.web.visibility import counts_public, public_ballots

if TYPE_CHECKING:
    from pb_ledger.web.app import Service

PHASE_ORDER = ("launch", "ideas", "review", "vote", "counting", "results", "implementation", "evaluation", "closed")
RECEIPT_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-"  # what a receipt code is written with; spaces dropped


def timeline(cycle: dict[str, Any], dates: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The guide's stages with their dates (when the timeline is set) and whether each is done, current or to come."""
    by_phase = {row["phase"]: row for row in (dates or {}).get("phases", [])}
    now = PHASE_ORDER.index(cycle["phase"])
    current = {"counting": "vote", "closed": None, "launch": None}.get(cycle["phase"], cycle["phase"])
    rows = []
    for phase in labels.TIMELINE:
        at = PHASE_ORDER.index(phase)
        state = "current" if phase == current else ("done" if at < now else "upcoming")
        row = by_phase.get(phase, {})
        rows.append({"phase": phase, "state": state, "start": row.get("start"), "end": row.get("end")})
    return rows


def cycle_view(cycle: dict[str, Any]) -> dict[str, Any]:
    """A cycle row as pages may show it: the ballot count withheld until the vote is closed."""
    return {**cycle, "ballots": public_ballots(cycle), "counts_public": counts_public(cycle)}


def install_pages(app: FastAPI, service: Service) -> None:
    def cycle_or_404(cycle: str) -> dict[str, Any]:
        """The cycle as pages show it; an unknown one is the refusal page (404, `unknown_cycle`)."""
        row = service.fresh_queries().cycle(cycle)
        if row is None:
            raise DomainError("unknown_cycle", f"no cycle {cycle!r} in this log")
        return cycle_view(row)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, lang: str | None = None) -> HTMLResponse:
        cycles = [cycle_view(c) for c in service.fresh_queries().cycles()]
        current = cycles[0] if cycles else None
        steps = timeline(current, service.facts.fact(current["cycle"], "timeline")) if current else []
        return render(request, "home.html", lang, cycle=current, steps=steps, others=cycles[1:])

    @app.get("/cycles", response_class=HTMLResponse, include_in_schema=False)
    def cycles_page(request: Request, lang: str | None = None) -> HTMLResponse:
        return render(request, "cycles.html", lang, cycles=[cycle_view(c) for c in service.fresh_queries().cycles()])

    @app.get("/cycles/{cycle}", response_class=HTMLResponse, include_in_schema=False)
    def cycle_page(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        row = cycle_or_404(cycle)
        queries, facts = service.queries, service.facts
        return render(request, "cycle.html", lang, cycle=row, projects=queries.projects(cycle),
                      ideas=queries.ideas(cycle), steps=timeline(row, facts.fact(cycle, "timeline")),
                      rules=facts.fact(cycle, "rules"), council=facts.fact(cycle, "council"),
                      criteria=facts.fact(cycle, "criteria"), register=facts.fact(cycle, "register"))

    @app.get("/cycles/{cycle}/projects", response_class=HTMLResponse, include_in_schema=False)
    def projects_page(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        row = cycle_or_404(cycle)
        ballot = service.facts.fact(cycle, "ballot")
        rules = service.facts.fact(cycle, "rules")
        return render(request, "projects.html", lang, cycle=row, ballot=ballot, rules=rules,
                      method=labels.method_of(rules), accepted=service.queries.projects(cycle))

    @app.get("/cycles/{cycle}/results", response_class=HTMLResponse, include_in_schema=False)
    def results_page(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        row = cycle_or_404(cycle)
        results = service.facts.fact(cycle, "results")
        projects = service.queries.projects(cycle)
        chart = results_chart(projects, row, pick_language(lang)) if results else None
        return render(request, "results.html", lang, cycle=row, results=results, projects=projects, chart=chart,
                      rules=service.facts.fact(cycle, "rules"))

    @app.get("/cycles/{cycle}/tracker", response_class=HTMLResponse, include_in_schema=False)
    def tracker_page(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        row = cycle_or_404(cycle)
        milestones = service.queries.milestones(cycle)
        funded = [p for p in service.queries.projects(cycle) if p["selected"]]
        for project in funded:
            own = [m for m in milestones if m["project"] == project["project"]]
            project["milestones"] = own
            project["percent"] = _progress(own)
        return render(request, "tracker.html", lang, cycle=row, funded=funded,
                      visits=service.facts.facts(cycle, "visit"))

    @app.get("/cycles/{cycle}/submit", response_class=HTMLResponse, include_in_schema=False)
    def submit_form(request: Request, cycle: str, lang: str | None = None) -> HTMLResponse:
        row = cycle_or_404(cycle)
        return render(request, "submit.html", lang, cycle=row, values={}, error=None,
                      envelopes=service.facts.fact(cycle, "envelopes"))

    @app.post("/cycles/{cycle}/submit", include_in_schema=False)
    async def submit(request: Request, cycle: str, lang: str | None = None) -> Response:
        row = cycle_or_404(cycle)
        form = await request.form()
        try:
            receipt = service.services.ideas.submit_idea(cycle, **idea_fields(form, row), channel="online",
                                                         actor=("citizen", ""))
        except DomainError as e:
            return render(request, "submit.html", lang, status=422, cycle=row, values=forms.kept(form), error=e,
                          envelopes=service.facts.fact(cycle, "envelopes"))
        return RedirectResponse(f"/ideas?receipt={receipt}&new=1&lang={pick_language(lang)}", status_code=303)

    @app.get("/ideas", response_class=HTMLResponse, include_in_schema=False)
    def idea_page(request: Request, receipt: str = "", new: int = 0, lang: str | None = None) -> HTMLResponse:
        code = "".join(ch for ch in receipt.strip().upper() if ch in RECEIPT_CHARS)
        queries = service.fresh_queries()
        row = queries.idea(code) if code else None
        if receipt and row is None:
            return render(request, "idea.html", lang, status=404, receipt=receipt, idea=None, history=[], check=None)
        history = queries.idea_history(row["idea"]) if row else []
        check = service.checkpoints.check(history[0]["seq"]) if history else None
        cycle = queries.cycle(row["cycle"]) if row else None
        criteria = (service.facts.fact(row["cycle"], "criteria") or {}) if row else {}
        return render(request, "idea.html", lang, receipt=receipt, idea=row, history=history, check=check,
                      new=bool(new), cycle=cycle, criteria={c["id"]: c["label"] for c in criteria.get("criteria", [])})

    @app.get("/receipts", response_class=HTMLResponse, include_in_schema=False)
    def receipt_page(request: Request, seq: str = "", hash: str = "", cast: int = 0,
                     lang: str | None = None) -> HTMLResponse:
        found = _receipt(service, seq, hash) if seq or hash else None
        status = 404 if found is not None and found.get("error") else 200
        return render(request, "receipt.html", lang, status=status, seq=seq, hash=hash, found=found, cast=bool(cast))

    @app.get("/audit", response_class=HTMLResponse, include_in_schema=False)
    def audit_page(request: Request, lang: str | None = None) -> HTMLResponse:
        genesis = service.ledger.entries(0, 1)[0]
        import json

        root_key = json.loads(genesis.entry)["payload"]["root_key"]
        queries = service.fresh_queries()
        cycles = [cycle_view(c) for c in queries.cycles()]
        closed = [{**c, "results": service.facts.fact(c["cycle"], "results"),
                   "closing": service.facts.fact(c["cycle"], "voting_closed")} for c in cycles]
        return render(request, "audit.html", lang, checkpoint=service.checkpoints.latest(), root_key=root_key,
                      cycles=closed, public_size=service.public_log_size())


def idea_fields(form: Any, cycle: dict[str, Any]) -> dict[str, Any]:
    """The idea form's fields, in the order of the printed paper form (paper_forms.py)."""
    contact = {k: v for k in ("phone", "email") if (v := forms.text(form, k))}
    return {"title": forms.text(form, "title"), "description": forms.text(form, "description"),
            "district": forms.optional(form, "district"), "category": forms.optional(form, "category"),
            "location": forms.optional(form, "location"),
            "estimated_cost": forms.optional_amount(form, "estimated_cost", int(cycle["exponent"]), "estimated cost"),
            "author_contact": contact or None}


def _progress(milestones: list[dict[str, Any]]) -> int:
    percent = 0
    for m in milestones:
        if m["kind"] == "completed":
            percent = 100
        elif m["percent"] is not None:
            percent = int(m["percent"])
    return percent


def _receipt(service: Service, seq: str, entry_hash: str) -> dict[str, Any]:
    """A receipt (an entry's seq and hash) checked: the entry is there with that hash, and its inclusion proof leads
    to the latest checkpoint's root. Shows the entry's type and cycle, never its choices."""
    import json

    try:
        number = forms.whole(seq, "seq")
    except DomainError:
        return {"error": "not_a_number"}
    rows = service.ledger.entries(number, 1) if number >= 0 else []
    if not rows or rows[0].seq != number:
        return {"error": "not_found"}
    if rows[0].entry_hash != entry_hash.strip().lower():
        return {"error": "receipt_mismatch"}
    entry = json.loads(rows[0].entry)
    return {"error": None, "type": entry["type"], "cycle": entry["cycle"], "time": entry["time"],
            "check": service.checkpoints.check(number)}
