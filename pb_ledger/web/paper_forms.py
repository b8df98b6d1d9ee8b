"""Printable paper forms and the line format the data-entry pages read back.

- The idea form has the fields of the online form, in the same order, under a form number; the clerk's paper idea
  page asks for them in that order, then for the scan of the page.
- The ballot of a cycle is printed for its method, each project with its reference; a clerk types each ballot of a
  batch as one line, the line format printed at the foot of the ballot:

      NATIONAL_ID ; CHOICES                 (a vote by district: NATIONAL_ID ; DISTRICT ; CHOICES)

  CHOICES are project references separated by spaces: the approved projects (approval, knapsack, choose-1), the
  projects in ranking order (ordinal, first = rank 1), or `REF=POINTS` for each project given points (cumulative)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from pb_ledger.domain.errors import DomainError
from pb_ledger.web import forms
from pb_ledger.web.ballot_pages import ballot_context
from pb_ledger.web.rendering import render

if TYPE_CHECKING:
    from pb_ledger.web.app import Service

IDEA_FIELDS = ("paper_form_number", "title", "description", "district", "category", "location", "estimated_cost",
               "phone", "email")


def line_example(method: str | None, projects: list[str], district_vote: bool) -> str:
    first, second = (projects + ["P-1", "P-2"])[:2]
    choices = {"cumulative": f"{first}=3 {second}=2", "choose-1": first}.get(method or "", f"{first} {second}")
    return f"AB123456 ; {'DISTRICT ; ' if district_vote else ''}{choices}"


def parse_paper_lines(text: str, method: str | None, district_vote: bool) -> list[dict[str, Any]]:
    """The typed batch, one ballot a line (blank lines skipped); a line that cannot be read refuses the whole typing
    with its line number, so that nothing half-typed is entered."""
    lines, wrong = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            lines.append(_line(raw, method, district_vote))
        except DomainError as e:
            wrong.append(f"line {number}: {e.message}")
    if wrong:
        raise DomainError("malformed_line", "; ".join(wrong))
    if not lines:
        raise DomainError("missing_text", "type at least one ballot line")
    return lines


def _line(raw: str, method: str | None, district_vote: bool) -> dict[str, Any]:
    fields = [f.strip() for f in raw.split(";")]
    if len(fields) != (3 if district_vote else 2):
        shape = "ID ; DISTRICT ; CHOICES" if district_vote else "ID ; CHOICES"
        raise DomainError("malformed_line", f"write the ballot as `{shape}`")
    line: dict[str, Any] = {"national_id": fields[0]}
    if district_vote:
        line["district"] = fields[1]
    choices = fields[-1].split()
    if method == "cumulative":
        vote, points = [], []
        for choice in choices:
            project, sep, value = choice.partition("=")
            if not sep:
                raise DomainError("malformed_line", f"{choice!r}: write a project and its points as REF=POINTS")
            vote.append(project)
            points.append(forms.whole(value, f"points of {project}"))
        line.update(vote=vote, points=points)
    else:
        line["vote"] = choices
    return line


def install_paper_forms(app: FastAPI, service: Service) -> None:
    def cycle_row(cycle: str) -> dict[str, Any]:
        row = service.fresh_queries().cycle(cycle)
        if row is None:
            raise DomainError("unknown_cycle", f"no cycle {cycle!r} in this log")
        return row

    @app.get("/cycles/{cycle}/forms/idea", response_class=HTMLResponse, include_in_schema=False)
    def idea_form(request: Request, cycle: str, number: str = "", lang: str | None = None) -> HTMLResponse:
        row = cycle_row(cycle)
        return render(request, "print_idea.html", lang, cycle=row, number=number,
                      envelopes=service.facts.fact(cycle, "envelopes"))

    @app.get("/cycles/{cycle}/forms/ballot", response_class=HTMLResponse, include_in_schema=False)
    def ballot_form(request: Request, cycle: str, number: str = "", lang: str | None = None) -> HTMLResponse:
        row = cycle_row(cycle)
        context = ballot_context(service, cycle)
        refs = [p["project"] for p in context["projects"]]
        example = line_example(context["method"], refs, bool(context["rules"].get("district_vote")))
        return render(request, "print_ballot.html", lang, cycle=row, number=number, example=example, **context)
