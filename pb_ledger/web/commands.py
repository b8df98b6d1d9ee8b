"""The command API: one POST route per command of the application services (the CLI's `pb-ledger cycle ACTION`),
each with an explicit request and response schema (pb_ledger/web/schemas.py).

Who may call a route is decided in one place, `authz.MATRIX`. A staff command acts as the caller's account (its role
and its reference in the log); a public command acts anonymously in the domain's citizen or voter role, whoever
calls it. tests/e2e/test_api_commands.py checks that every service command has its route and that each request
schema names only parameters of its service method."""

from __future__ import annotations

import inspect
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from pb_ledger.domain.errors import DomainError
from pb_ledger.domain.rules import Rules
from pb_ledger.ledger.store import Ledger
from pb_ledger.services import Actor, Services
from pb_ledger.web import schemas as s
from pb_ledger.web.authz import LOG, current_account

Shape = Callable[[Any, Ledger], dict[str, Any]]
MAX_REGISTER_BYTES = 64 * 1024 * 1024  # a large commune's register is a few MB


def _nothing(result: Any, ledger: Ledger) -> dict[str, Any]:
    return {}


def _field(name: str) -> Shape:
    return lambda result, ledger: {name: result}


def _lines(result: Any, ledger: Ledger) -> dict[str, Any]:
    return {"lines": str(result).splitlines()}


def _ballot_receipt(result: Any, ledger: Ledger) -> dict[str, Any]:
    [(seq, entry_hash)] = ledger.last_appended()
    return {"log": ledger.log_id, "seq": seq, "entry_hash": entry_hash}


def _paper_batch(result: Any, ledger: Ledger) -> dict[str, Any]:
    seq, _ = ledger.last_appended()[-1]
    entry = json.loads(ledger.entries(seq, 1)[0].entry)
    payload = entry["payload"] if entry["type"] == "PaperBatchEntered" else {}
    return {"event": entry["type"], "report": str(result).splitlines(), "accepted": payload.get("accepted"),
            "refused": payload.get("refused", [])}


@dataclass(frozen=True)
class Command:
    path: str  # under /api/v1/logs/{log}
    stage: str  # the attribute of `Services`
    method: str  # the service method
    request: type[s.CommandRequest] | None
    response: type[BaseModel] = s.Recorded
    shape: Shape = _nothing  # the response's fields made from the service's return value
    fixed: dict[str, Any] = field(default_factory=dict)  # arguments the route sets itself (an idea's channel)
    acts_as: str | None = None  # a public command: the domain role it acts in, anonymously
    cycle_param: str | None = "cycle"  # the service parameter the path's {cycle} goes to
    creates: bool = False  # the service returns the id of a new cycle


C = "/cycles/{cycle}"
COMMANDS: tuple[Command, ...] = (
    # stage 1: launch
    Command("/cycles", "launch", "create_cycle", s.CreateCycle, cycle_param=None, creates=True),
    Command(f"{C}/record-council-decision", "launch", "record_council_decision", s.RecordCouncilDecision),
    Command(f"{C}/set-envelopes", "launch", "set_envelopes", s.SetEnvelopes),
    Command(f"{C}/add-team-member", "launch", "add_team_member", s.AddTeamMember),
    Command(f"{C}/set-timeline", "launch", "set_timeline", s.SetTimeline),
    Command(f"{C}/start-phase", "launch", "start_phase", s.StartPhase),
    Command(f"{C}/set-criteria", "launch", "set_criteria", s.SetCriteria),
    Command(f"{C}/record-campaign", "launch", "record_campaign", s.RecordCampaign),
    # stage 1: ideas
    Command(f"{C}/submit-idea", "ideas", "submit_idea", s.SubmitIdea, s.IdeaReceipt, _field("idea"),
            {"channel": "online"}, acts_as="citizen"),
    Command(f"{C}/submit-paper-idea", "ideas", "submit_idea", s.SubmitPaperIdea, s.IdeaReceipt, _field("idea"),
            {"channel": "paper"}),
    Command(f"{C}/submit-forum-idea", "ideas", "submit_idea", s.SubmitForumIdea, s.IdeaReceipt, _field("idea"),
            {"channel": "forum"}),
    Command(f"{C}/record-forum", "ideas", "record_forum", s.RecordForum),
    Command(f"{C}/merge-ideas", "ideas", "merge_ideas", s.MergeIdeas),
    Command(f"{C}/erase-author", "ideas", "erase_author", s.EraseAuthor),
    # stage 2: review
    Command(f"{C}/add-committee-member", "review", "add_committee_member", s.AddCommitteeMember),
    Command(f"{C}/accept-idea", "review", "accept_idea", s.AcceptIdea),
    Command(f"{C}/reject-idea", "review", "reject_idea", s.RejectIdea),
    Command(f"{C}/lodge-appeal", "review", "lodge_appeal", s.LodgeAppeal, s.AppealReceipt, _field("appeal"),
            acts_as="citizen"),
    Command(f"{C}/answer-appeal", "review", "answer_appeal", s.AnswerAppeal),
    Command(f"{C}/publish-ballot", "review", "publish_ballot", None, s.ProjectsOnBallot, _field("projects")),
    # stages 3 and 4: rules, the vote, the count (publish-register takes a file: see `_install_register_route`)
    Command(f"{C}/fix-rules", "voting", "fix_rules", s.FixRules),
    Command(f"{C}/open-voting", "voting", "open_voting", None),
    Command(f"{C}/cast-ballot", "voting", "cast_ballot", s.CastPaperBallot, fixed={"channel": "paper"}),
    Command(f"{C}/close-voting", "voting", "close_voting", None),
    Command(f"{C}/announce-results", "voting", "announce_results", None, s.Winners, _field("winners")),
    Command(f"{C}/publish-participation-summary", "voting", "publish_participation_summary",
            s.PublishParticipationSummary),
    Command(f"{C}/request-code", "ballots", "request_code", s.RequestCode, s.CodeRequested,
            lambda result, ledger: {"detail": str(result)}, acts_as="voter"),
    Command(f"{C}/cast-online-ballot", "ballots", "cast_online_ballot", s.CastOnlineBallot, s.BallotReceipt,
            _ballot_receipt, acts_as="voter"),
    Command(f"{C}/enter-paper-batch", "ballots", "enter_paper_batch", s.EnterPaperBatch, s.PaperBatchReport,
            _paper_batch),
    Command(f"{C}/reconcile-station", "ballots", "reconcile_station", s.ReconcileStation, s.LineReport, _lines),
    # stage 5: follow-up
    Command(f"{C}/record-milestone", "followup", "record_milestone", s.RecordMilestone),
    Command(f"{C}/add-attachment", "followup", "add_attachment", s.AddAttachment),
    Command(f"{C}/schedule-visit", "followup", "schedule_visit", s.ScheduleVisit),
    Command(f"{C}/record-visit-held", "followup", "record_visit_held", s.RecordVisitHeld),
    # stage 6: evaluation
    Command(f"{C}/record-survey", "evaluation", "record_survey", s.RecordSurvey),
    Command(f"{C}/record-lesson", "evaluation", "record_lesson", s.RecordLesson),
    Command(f"{C}/publish-report", "evaluation", "publish_report", s.PublishReport),
    Command(f"{C}/open-next-cycle", "evaluation", "open_next_cycle", s.OpenNextCycle, cycle_param="previous",
            creates=True),
)
REGISTER_ROUTE = f"{C}/publish-register"


def install_commands(app: FastAPI, services: Services, check_log: Callable[[str], None]) -> None:
    for command in COMMANDS:
        _install(app, services, command, check_log)
    _install_register_route(app, services, check_log)


def _install(app: FastAPI, services: Services, command: Command, check_log: Callable[[str], None]) -> None:
    def endpoint(request: Request, log: str, cycle: str = "", body: s.CommandRequest | None = None) -> BaseModel:
        check_log(log)
        kwargs = {**(body.to_kwargs() if body is not None else {}), **command.fixed}
        if "rules" in kwargs:
            kwargs["rules"] = _rules(kwargs["rules"])
        if command.cycle_param:
            kwargs[command.cycle_param] = cycle
        run = getattr(getattr(services, command.stage), command.method)
        result = run(**kwargs, actor=_actor(request, command))
        return _respond(command, result if command.creates else cycle, result, services.ledger)

    parameters = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
                  inspect.Parameter("log", inspect.Parameter.KEYWORD_ONLY, annotation=str)]
    if "{cycle}" in command.path:
        parameters.append(inspect.Parameter("cycle", inspect.Parameter.KEYWORD_ONLY, annotation=str))
    if command.request is not None:
        parameters.append(inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=command.request))
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    doc = (inspect.getdoc(getattr(_stage_class(services, command.stage), command.method)) or "").split("\n")[0]
    app.post(LOG + command.path, response_model=command.response, summary=doc, tags=[command.stage],
             name=command.path.rsplit("/", 1)[-1] if "{cycle}" in command.path else command.method)(endpoint)


def _install_register_route(app: FastAPI, services: Services, check_log: Callable[[str], None]) -> None:
    body = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}

    @app.post(LOG + REGISTER_ROUTE, response_model=s.LineReport, tags=["ballots"], name="publish-register",
              summary="Publish the register of eligible residents (the file national_id;district;contact as the "
                      "request body); the log gets only counts and ballot tokens.",
              openapi_extra={"requestBody": body})
    async def publish_register(request: Request, log: str, cycle: str) -> BaseModel:
        check_log(log)
        data = await request.body()
        if len(data) > MAX_REGISTER_BYTES:
            raise DomainError("register_too_large", f"the register file is larger than {MAX_REGISTER_BYTES} bytes")
        actor = current_account(request).actor

        def run() -> BaseModel:
            path = _private_copy(data)
            try:
                report = services.ballots.publish_register(cycle, str(path), actor=actor)
            finally:
                path.unlink()
            return _respond(Command(REGISTER_ROUTE, "ballots", "publish_register", None, s.LineReport, _lines),
                            cycle, report, services.ledger)

        return await run_in_threadpool(run)


def _private_copy(data: bytes) -> Path:
    """The uploaded register in an owner-only temporary file (it holds ID numbers: deleted right after use)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise DomainError("malformed_register", "the register file is not UTF-8 text") from None
    fd, name = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Path(name)


def _respond(command: Command, cycle: str, result: Any, ledger: Ledger) -> BaseModel:
    fields: dict[str, Any] = command.shape(result, ledger)
    if issubclass(command.response, s.Recorded):
        entries = [s.AppendedEntry(seq=seq, hash=entry_hash) for seq, entry_hash in ledger.last_appended()]
        fields.update(cycle=cycle, entries=entries)
    else:
        fields["cycle"] = cycle
    return command.response(**fields)


def _actor(request: Request, command: Command) -> Actor:
    if command.acts_as is not None:
        return command.acts_as, ""
    return current_account(request).actor


def _rules(values: dict[str, Any]) -> Rules:
    if "exclusive" in values:
        values = {**values, "exclusive": tuple(tuple(group) for group in values["exclusive"])}
    try:
        return Rules(**values)
    except TypeError as e:
        raise DomainError("invalid_rules", f"rules: {e}") from None


def _stage_class(services: Services, stage: str) -> type:
    return type(getattr(services, stage))
