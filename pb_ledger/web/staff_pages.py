"""The staff pages: log in and out (the session cookie of pb_ledger/web/staff.py), the dashboard, and one page per
task of the guide — cycle set-up (PB team), paper idea entry (clerk), the review queue with decisions and public
reasons (committee), paper ballot batches with their per-line report (clerk), the vote's control: publishing the list,
opening, closing, announcing (PB team), and milestones (PB team). Every form acts through the application services as
the logged-in account; who may open each page is in authz.MATRIX, tested for every role."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from pb_ledger.accounts import Account
from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.launch import TIMELINE_PHASES, TRANSITIONS
from pb_ledger.domain.rules import Rules
from pb_ledger.web import forms, labels
from pb_ledger.web.authz import SESSION_COOKIE, bearer_token, current_account
from pb_ledger.web.ballot_pages import ballot_context
from pb_ledger.web.errors import status_of
from pb_ledger.web.i18n import pick_language
from pb_ledger.web.paper_forms import line_example, parse_paper_lines
from pb_ledger.web.rendering import render
from pb_ledger.web.visibility import public_ballots

if TYPE_CHECKING:
    from pb_ledger.web.app import Service

Step = Callable[["Service", str, dict[str, Any], FormData, Account], Awaitable[str | None] | str | None]
ROLE_HOME = {"pb-team": "setup", "committee": "review", "clerk": "paper-ideas"}


def _safe_next(target: str) -> str:
    """Only a path of this site (never //elsewhere or a full URL) after logging in."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/staff"


def install_staff_pages(app: FastAPI, service: Service) -> None:
    def cycle_row(cycle: str) -> dict[str, Any]:
        row = service.fresh_queries().cycle(cycle)
        if row is None:
            raise DomainError("unknown_cycle", f"no cycle {cycle!r} in this log")
        return row

    @app.get("/staff/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/staff", lang: str | None = None) -> HTMLResponse:
        return render(request, "staff/login.html", lang, next=_safe_next(next), error=None, username="")

    @app.post("/staff/login", include_in_schema=False)
    async def login(request: Request, lang: str | None = None) -> Response:
        form = await request.form()
        target = _safe_next(forms.text(form, "next") or "/staff")
        try:
            session = service.accounts.login(forms.text(form, "username"), str(form.get("password") or ""))
        except DomainError as e:
            page = render(request, "staff/login.html", lang, status=401, next=target, error=e,
                          username=forms.text(form, "username"))
            page.headers["X-Error-Code"] = e.code
            return page
        response = RedirectResponse(f"{target}{'&' if '?' in target else '?'}lang={pick_language(lang)}",
                                    status_code=303)
        response.set_cookie(SESSION_COOKIE, session.token, max_age=int(service.accounts.lifetime), httponly=True,
                            samesite="strict", secure=request.url.scheme == "https", path="/")
        return response

    @app.post("/staff/logout", include_in_schema=False)
    def logout(request: Request, lang: str | None = None) -> Response:
        token = bearer_token(request)
        if token is not None:
            service.accounts.logout(token)
        response = RedirectResponse(f"/staff/login?lang={pick_language(lang)}", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    @app.get("/staff", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, lang: str | None = None) -> HTMLResponse:
        cycles = [{**c, "ballots": public_ballots(c)} for c in service.fresh_queries().cycles()]
        return render(request, "staff/dashboard.html", lang, cycles=cycles, error=None, values={},
                      task=ROLE_HOME.get(current_account(request).role))

    @app.post("/staff/cycles", include_in_schema=False)
    async def create_cycle(request: Request, lang: str | None = None) -> Response:
        form = await request.form()
        account = current_account(request)
        try:
            currency = forms.text(form, "currency").upper() or "MAD"
            exponent = forms.optional_whole(form, "exponent", "decimal places")
            exponent = 2 if exponent is None else exponent
            cycle = service.services.launch.create_cycle(
                forms.text(form, "title"), forms.amount(forms.text(form, "amount"), exponent, "budget"), currency,
                exponent, actor=account.actor)
        except DomainError as e:
            cycles = [{**c, "ballots": public_ballots(c)} for c in service.fresh_queries().cycles()]
            return render(request, "staff/dashboard.html", lang, status=status_of(e.code), cycles=cycles, error=e,
                          values=forms.kept(form), task="setup")
        return RedirectResponse(f"/staff/cycles/{cycle}/setup?lang={pick_language(lang)}", status_code=303)

    def task_page(name: str, template: str, context: Callable[[str, dict[str, Any]], dict[str, Any]],
                  steps: dict[str, Step]) -> None:
        """A staff task: its page (GET), and its forms (POST …/{step}), each answered by the page again with what
        the service said — done, or refused with the code's sentence and the typed values kept."""

        def show(request: Request, cycle: str, lang: str | None, status: int = 200, **extra: Any) -> HTMLResponse:
            row = cycle_row(cycle)
            return render(request, template, lang, status=status, cycle={**row, "ballots": public_ballots(row)},
                          **context(cycle, row), **{"done": None, "error": None, "values": {}, "step": None, **extra})

        @app.get(f"/staff/cycles/{{cycle}}/{name}", response_class=HTMLResponse, include_in_schema=False)
        def get(request: Request, cycle: str, lang: str | None = None, done: str = "", ref: str = "") -> HTMLResponse:
            return show(request, cycle, lang, done=done or None, ref=ref or None)

        @app.post(f"/staff/cycles/{{cycle}}/{name}/{{step}}", include_in_schema=False)
        async def post(request: Request, cycle: str, step: str, lang: str | None = None) -> Response:
            run = steps.get(step)
            if run is None:
                raise DomainError("unknown_step", f"the {name} page has no form {step!r}")
            form = await request.form()
            try:
                outcome = run(service, cycle, cycle_row(cycle), form, current_account(request))
                if hasattr(outcome, "__await__"):
                    outcome = await outcome  # type: ignore[misc]
            except DomainError as e:
                return show(request, cycle, lang, status=status_of(e.code), error=e, values=forms.kept(form),
                            step=step)
            ref = f"&ref={outcome}" if outcome else ""  # what the clerk writes on the paper form: its receipt
            return RedirectResponse(f"/staff/cycles/{cycle}/{name}?done={step}{ref}&lang={pick_language(lang)}",
                                    status_code=303)

    task_page("setup", "staff/setup.html", lambda cycle, row: _setup_context(service, cycle, row), SETUP_STEPS)
    task_page("paper-ideas", "staff/paper_ideas.html",
              lambda cycle, row: {"envelopes": service.facts.fact(cycle, "envelopes"),
                                  "ideas": [i for i in service.queries.ideas(cycle) if i["channel"] == "paper"]},
              {"enter": _enter_paper_idea})
    task_page("review", "staff/review.html", lambda cycle, row: _review_context(service, cycle), REVIEW_STEPS)
    task_page("paper-ballots", "staff/paper_ballots.html", lambda cycle, row: _batches_context(service, cycle),
              {"enter": _enter_batch})
    task_page("vote", "staff/vote.html", lambda cycle, row: _vote_context(service, cycle, row), VOTE_STEPS)
    task_page("milestones", "staff/milestones.html", lambda cycle, row: {
        "funded": [p for p in service.queries.projects(cycle) if p["selected"]],
        "milestones": service.queries.milestones(cycle), "kinds": labels.MILESTONES}, {"record": _record_milestone})


# --- set-up -----------------------------------------------------------------------------------------------------------


def _setup_context(service: Service, cycle: str, row: dict[str, Any]) -> dict[str, Any]:
    facts = service.facts
    return {"timeline": {r["phase"]: r for r in (facts.fact(cycle, "timeline") or {}).get("phases", [])},
            "timeline_phases": TIMELINE_PHASES, "criteria": facts.fact(cycle, "criteria"),
            "council": facts.fact(cycle, "council"), "envelopes": facts.fact(cycle, "envelopes"),
            "rules": facts.fact(cycle, "rules"), "register": facts.fact(cycle, "register"),
            "next_phase": TRANSITIONS.get(row["phase"]), "forums": facts.facts(cycle, "forum")}


def _council(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.launch.record_council_decision(cycle, forms.text(form, "reference"), forms.text(form, "date"),
                                                    forms.text(form, "summary"), actor=account.actor)


def _envelopes(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    exponent = int(row["exponent"])
    envelopes = {district: forms.amount(value, exponent, f"envelope of {district}")
                 for district, value in forms.pairs(forms.text(form, "envelopes"), "envelopes").items()}
    service.services.launch.set_envelopes(cycle, envelopes, actor=account.actor)


def _timeline(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    phases = {phase: (forms.text(form, f"{phase}-start"), forms.text(form, f"{phase}-end")) for phase in
              TIMELINE_PHASES if forms.text(form, f"{phase}-start") or forms.text(form, f"{phase}-end")}
    service.services.launch.set_timeline(cycle, phases, actor=account.actor)


def _criteria(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.launch.set_criteria(cycle, forms.pairs(forms.text(form, "criteria"), "criteria"),
                                         actor=account.actor)


def _rules(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    method = forms.text(form, "method")
    exponent = int(row["exponent"])
    values: dict[str, Any] = {
        "vote_type": "approval" if method == "knapsack" else method,
        "min_length": forms.optional_whole(form, "min_length", "minimum number of projects") or 1,
        "max_length": forms.optional_whole(form, "max_length", "maximum number of projects"),
        "max_sum_cost": (forms.optional_amount(form, "max_sum_cost", exponent, "ballot budget") if method ==
                         "knapsack" else None),
        "rule": forms.text(form, "rule") or "greedy", "tie_break": forms.text(form, "tie_break") or "lower-cost",
        "threshold": forms.optional_whole(form, "threshold", "threshold"),
    }
    if method == "knapsack" and values["max_sum_cost"] is None:
        values["max_sum_cost"] = int(row["amount"])  # a knapsack ballot's budget is the cycle's, unless set
    if method == "cumulative":
        for name in ("max_points", "min_sum_points", "max_sum_points"):
            values[name] = forms.optional_whole(form, name, name.replace("_", " "))
    if form.get("paper_double_entry"):
        values["paper_double_entry"] = True
    try:
        rules = Rules(**values)
    except TypeError as e:
        raise DomainError("invalid_rules", f"rules: {e}") from None
    service.services.voting.fix_rules(cycle, rules, actor=account.actor)


async def _register(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    upload = form.get("register")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise DomainError("missing_text", "choose the register file (national_id;district;contact)")
    from pb_ledger.web.commands import MAX_REGISTER_BYTES, _private_copy

    data = await upload.read(MAX_REGISTER_BYTES + 1)
    if len(data) > MAX_REGISTER_BYTES:
        raise DomainError("register_too_large", f"the register file is larger than {MAX_REGISTER_BYTES} bytes")
    path = _private_copy(data)
    try:
        service.services.ballots.publish_register(cycle, str(path), actor=account.actor)  # its counts: a fact
    finally:
        path.unlink()


def _phase(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.launch.start_phase(cycle, forms.text(form, "phase"), actor=account.actor)


def _forum(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.ideas.record_forum(cycle, forms.text(form, "forum"), forms.text(form, "date"),
                                        forms.text(form, "place"),
                                        forms.optional_whole(form, "attendance", "attendance") or 0,
                                        actor=account.actor)


def _committee_member(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.review.add_committee_member(cycle, forms.text(form, "member"), forms.text(form, "name"),
                                                 forms.text(form, "kind"), actor=account.actor)


SETUP_STEPS: dict[str, Step] = {"council": _council, "envelopes": _envelopes, "timeline": _timeline,
                                "criteria": _criteria, "rules": _rules, "register": _register, "phase": _phase,
                                "forum": _forum, "committee-member": _committee_member}


# --- paper ideas ------------------------------------------------------------------------------------------------------


async def _enter_paper_idea(service: Service, cycle: str, row: dict[str, Any], form: FormData,
                            account: Account) -> str:
    from pb_ledger.web.pages import idea_fields

    scan = form.get("scan")
    digest = forms.text(form, "scan_sha256").lower()
    if isinstance(scan, UploadFile) and scan.filename:
        digest = hashlib.sha256(await scan.read()).hexdigest()
    return service.services.ideas.submit_idea(
        cycle, **idea_fields(form, row), channel="paper", paper_form_number=forms.text(form, "paper_form_number"),
        scan_sha256=digest, actor=account.actor)


# --- review -----------------------------------------------------------------------------------------------------------


def _review_context(service: Service, cycle: str) -> dict[str, Any]:
    ideas = service.queries.ideas(cycle)
    order = {"submitted": 0, "accepted": 1, "rejected": 2, "merged": 3}
    history = {i["idea"]: service.queries.idea_history(i["idea"]) for i in ideas}
    appeals = []
    for idea in ideas:
        answered = {h["detail"].get("appeal") for h in history[idea["idea"]] if h["event"] == "AppealAnswered"}
        appeals += [{"idea": idea, **h["detail"]} for h in history[idea["idea"]]
                    if h["event"] == "AppealLodged" and h["detail"].get("appeal") not in answered]
    criteria = service.facts.fact(cycle, "criteria")
    return {"ideas": sorted(ideas, key=lambda i: (order.get(i["status"], 9), i["seq"])), "history": history,
            "appeals": appeals, "criteria": (criteria or {}).get("criteria", [])}


def _checks(form: FormData, prefix: str) -> dict[str, bool] | None:
    found = {key[len(prefix):]: value == "met" for key, value in form.multi_items()
             if key.startswith(prefix) and isinstance(value, str) and value in ("met", "not-met")}
    return found or None


def _accept(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.review.accept_idea(
        cycle, forms.text(form, "idea"), forms.text(form, "project"),
        forms.amount(forms.text(form, "cost"), int(row["exponent"]), "cost"), forms.text(form, "reason"),
        checks=_checks(form, "check-"), revision_reason=forms.optional(form, "revision_reason"), actor=account.actor)


def _reject(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.review.reject_idea(
        cycle, forms.text(form, "idea"), forms.text(form, "reason"), forms.text(form, "criterion"),
        checks=_checks(form, "check-"), revision_reason=forms.optional(form, "revision_reason"), actor=account.actor)


def _answer(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.review.answer_appeal(cycle, forms.text(form, "appeal"), forms.text(form, "outcome"),
                                          forms.text(form, "answer"), actor=account.actor)


def _merge(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    merged = [i.strip() for i in forms.text(form, "merged").replace(",", " ").split() if i.strip()]
    service.services.ideas.merge_ideas(cycle, forms.text(form, "into"), merged, forms.text(form, "reason"),
                                       actor=account.actor)


REVIEW_STEPS: dict[str, Step] = {"accept": _accept, "reject": _reject, "answer-appeal": _answer, "merge": _merge}


# --- paper ballots ----------------------------------------------------------------------------------------------------


def _batches_context(service: Service, cycle: str) -> dict[str, Any]:
    context = ballot_context(service, cycle)
    district_vote = bool(context["rules"].get("district_vote"))
    refs = [p["project"] for p in context["projects"]]
    return {**context, "district_vote": district_vote, "example": line_example(context["method"], refs,
                                                                               district_vote),
            "batches": service.facts.facts(cycle, "batch"), "first_typings": service.facts.facts(cycle, "batch_first"),
            "mismatches": service.facts.facts(cycle, "batch_mismatch")}


def _enter_batch(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    context = ballot_context(service, cycle)
    lines = parse_paper_lines(forms.text(form, "lines"), context["method"], bool(context["rules"].get("district_vote")))
    # the per-line report is the batch's entry in the log, shown from the read model in the reader's language
    service.services.ballots.enter_paper_batch(cycle, forms.text(form, "station"), forms.text(form, "batch"), lines,
                                               actor=account.actor)


# --- the vote ---------------------------------------------------------------------------------------------------------


def _vote_context(service: Service, cycle: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"ballot": service.facts.fact(cycle, "ballot"), "opened": service.facts.fact(cycle, "voting_opened"),
            "closed": service.facts.fact(cycle, "voting_closed"), "results": service.facts.fact(cycle, "results"),
            "reconciled": service.facts.facts(cycle, "reconciled"), "rules": service.facts.fact(cycle, "rules"),
            "participation": service.facts.fact(cycle, "participation")}


def _publish(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.review.publish_ballot(cycle, actor=account.actor)


def _open(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.voting.open_voting(cycle, actor=account.actor)


def _close(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    if form.get("confirm") != "yes":
        raise DomainError("confirmation_required", "tick the box to confirm: closing the vote cannot be undone")
    service.services.voting.close_voting(cycle, actor=account.actor)


def _announce(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.voting.announce_results(cycle, actor=account.actor)


def _reconcile(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.ballots.reconcile_station(
        cycle, forms.text(form, "station"), forms.whole(forms.text(form, "handed_out"), "ballots handed out"),
        actor=account.actor)


def _thanks(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.voting.publish_participation_summary(cycle, forms.text(form, "thanks"), actor=account.actor)


VOTE_STEPS: dict[str, Step] = {"publish-ballot": _publish, "open": _open, "close": _close, "announce": _announce,
                               "reconcile": _reconcile, "thanks": _thanks}


# --- milestones -------------------------------------------------------------------------------------------------------


def _record_milestone(service: Service, cycle: str, row: dict[str, Any], form: FormData, account: Account) -> None:
    service.services.followup.record_milestone(
        cycle, forms.text(form, "project"), forms.text(form, "kind"), forms.text(form, "date"),
        percent=forms.optional_whole(form, "percent", "percentage"), reason=forms.optional(form, "reason"),
        note=forms.text(form, "note"), actor=account.actor)
