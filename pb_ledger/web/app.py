"""The HTTP edge: API under /api/v1 and the public pages. Reads come from the projection, never from replaying
aggregates; the projection is caught up to the log's head before each read (read-your-writes)."""

from __future__ import annotations

import base64
import tempfile
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from pb_ledger.accounts import StaffAccounts
from pb_ledger.config import Settings
from pb_ledger.domain.errors import DomainError
from pb_ledger.eligibility import RegisterStore
from pb_ledger.ledger.export import export_log
from pb_ledger.ledger.store import Ledger
from pb_ledger.messages import message
from pb_ledger.personal_data import PersonalDataStore
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore
from pb_ledger.web import i18n
from pb_ledger.web.api_docs import install_api_docs
from pb_ledger.web.authz import make_authorise
from pb_ledger.web.commands import install_commands
from pb_ledger.web.throttle import PublicWriteLimits, RequestSizeLimit
from pb_ledger.web.errors import status_of
from pb_ledger.web.page_errors import install_page_errors, is_page
from pb_ledger.web.proofs import Checkpoints
from pb_ledger.web.read_api import install_read_api
from pb_ledger.web.schemas import (
    CyclePublic,
    EntriesPage,
    EntryPublic,
    ErrorResponse,
    IdeaEventPublic,
    IdeaPublic,
    MilestonePublic,
    ProjectPublic,
    ResultsPublic,
)
from pb_ledger.web.reads import install_read_routes
from pb_ledger.web.staff import install_staff_routes
from pb_ledger.web.transparency import install_transparency_routes
from pb_ledger.web.visibility import public_ballots, public_log_size
from projections.facts import CycleFactsQueries
from projections.queries import CycleQueries
from projections.reading import ReadModelBehind, ReadModels

START = Query(0, ge=0, description="the position of the first item")
LIMIT = Query(100, ge=1, le=1000, description="at most this many items")


class NotFound(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message


class Service:
    """The parts a request needs, built once per process (the composition root of the web edge)."""

    def __init__(self, settings: Settings, log_id: str) -> None:
        self.ledger = Ledger(settings, log_id)
        self.store = ReadStore(settings)
        self.services = Services(self.ledger, PersonalDataStore(self.store, log_id), RegisterStore(self.store, log_id))
        self.read_models = ReadModels(settings, log_id)
        self.queries = CycleQueries(self.store, log_id)
        self.facts = CycleFactsQueries(self.store, log_id)
        self.checkpoints = Checkpoints(self.ledger)
        self.accounts = StaffAccounts(self.store, log_id, self.ledger.keys_dir)

    def fresh_queries(self, after: int | None = None) -> CycleQueries:
        """The queries, once the read models have applied every entry in the log now (or up to `after`)."""
        self.read_models.ensure_fresh(after)
        return self.queries

    def public_log_size(self) -> int:
        """How many entries the public log shows now (pb_ledger/web/visibility.py: none of an open vote's ballots)."""
        self.fresh_queries()
        return public_log_size(self.ledger.head()[0], self.facts.first_seq_of_open_votes())

    def close(self) -> None:
        self.read_models.close()
        self.store.close()
        self.ledger.close()


def create_app(settings: Settings, log_id: str, demo: bool = False) -> FastAPI:
    service = Service(settings, log_id)
    if demo and not service.fresh_queries().cycles():
        from pb_ledger.demo import load_demo

        load_demo(service.services)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        service.close()

    errors = {status: {"model": ErrorResponse} for status in (401, 403, 404, 409, 422)}
    app = FastAPI(title="pb-ledger", version="1", lifespan=lifespan, responses=errors,  # type: ignore[arg-type]
                  docs_url=None, redoc_url=None,  # served from this server, not a CDN: web/api_docs.py
                  dependencies=[Depends(make_authorise(service.accounts, PublicWriteLimits()))])  # authz.MATRIX
    app.add_middleware(RequestSizeLimit)
    app.state.service = service
    _install_error_handlers(app)
    install_api_docs(app)
    _install_api(app, service)
    _install_pages(app, service)
    return app


def _error(status: int, code: str, detail: str, request: Request) -> JSONResponse:
    """The error body: a stable code, a sentence in the caller's language (?lang= or Accept-Language, Arabic by
    default) and the specific English detail."""
    lang = request.query_params.get("lang") or _accept_language(request.headers.get("accept-language", ""))
    text = message(code, i18n.pick_language(lang))
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": text, "detail": detail}})


def _accept_language(header: str) -> str | None:
    for part in header.split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in i18n.LANGUAGES:
            return code
    return None


def _install_error_handlers(app: FastAPI) -> None:
    page_error = install_page_errors()

    @app.exception_handler(DomainError)
    async def refused(request: Request, exc: DomainError) -> Response:
        if is_page(request):
            return page_error(request, status_of(exc.code), exc.code, exc.message)
        response = _error(status_of(exc.code), exc.code, exc.message, request)
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="pb-ledger staff"'
        return response

    @app.exception_handler(ReadModelBehind)
    async def behind(request: Request, exc: ReadModelBehind) -> JSONResponse:
        response = _error(503, exc.code, exc.message, request)
        response.headers["Retry-After"] = "2"
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return _error(404, exc.code, exc.message, request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_page(request) and exc.status_code in (404, 405):
            code = "no_such_address" if exc.status_code == 404 else "method_not_allowed"
            return page_error(request, exc.status_code, code, str(exc.detail))
        if exc.status_code == 404:
            return _error(404, "no_such_address", str(exc.detail), request)
        if exc.status_code == 405:
            return _error(405, "method_not_allowed", str(exc.detail), request)
        return _error(exc.status_code, "http_error", str(exc.detail), request)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        detail = f"{where}: {first.get('msg', 'invalid request')}"
        if is_page(request):
            return page_error(request, 422, "invalid_request", detail)
        return _error(422, "invalid_request", detail, request)


def _install_api(app: FastAPI, service: Service) -> None:
    def check_log(log: str) -> None:
        if log != service.ledger.log_id:
            raise NotFound("unknown_log", f"this service holds log {service.ledger.log_id!r}, not {log!r}")

    def cycle_row(cycle: str) -> dict[str, Any]:
        row = service.fresh_queries().cycle(cycle)
        if row is None:
            raise NotFound("unknown_cycle", f"no cycle {cycle!r} in this log")
        return row

    @app.get("/api/v1/logs/{log}/entries", response_model=EntriesPage)
    def entries(log: str, start: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)) -> EntriesPage:
        """The log's entries, paged. While a vote is open, the public log ends at the entry that opened it (no
        ballot is readable before the close: pb_ledger/web/visibility.py); `public_size` says where it ends."""
        check_log(log)
        size = service.public_log_size()
        rows = service.ledger.entries(start, max(0, min(limit, size - start)))
        page = [EntryPublic(seq=r.seq, hash=r.entry_hash, sig=base64.b64encode(r.sig).decode(),
                            entry=r.entry.decode()) for r in rows]
        following = rows[-1].seq + 1 if rows and rows[-1].seq + 1 < size else None
        return EntriesPage(log=log, entries=page, next_start=following, public_size=size)

    @app.get("/api/v1/logs/{log}/export", response_class=FileResponse)
    def export(log: str) -> FileResponse:
        """The export file (docs/log-format.md §4); while a vote is open, of the public log only (see entries)."""
        check_log(log)
        tmp = Path(tempfile.mkstemp(suffix=".jsonl")[1])
        export_log(service.ledger, tmp, size=service.public_log_size())
        return FileResponse(tmp, media_type="application/jsonl", filename=f"{log.replace('/', '_')}.export.jsonl",
                            background=BackgroundTask(tmp.unlink))

    @app.get("/api/v1/logs/{log}/cycles", response_model=list[CyclePublic])
    def cycles(log: str, request: Request, response: Response, start: int = START,
               limit: int = LIMIT) -> list[CyclePublic]:
        check_log(log)
        rows = _page(service.fresh_queries().cycles(), start, limit, request, response)
        return [_cycle_public(row) for row in rows]

    @app.get("/api/v1/logs/{log}/cycles/{cycle}", response_model=CyclePublic)
    def cycle(log: str, cycle: str) -> CyclePublic:
        check_log(log)
        return _cycle_public(cycle_row(cycle))

    @app.get("/api/v1/logs/{log}/cycles/{cycle}/projects", response_model=list[ProjectPublic])
    def projects(log: str, cycle: str, request: Request, response: Response, start: int = START,
                 limit: int = LIMIT) -> list[ProjectPublic]:
        check_log(log)
        cycle_row(cycle)
        return [_project_public(p) for p in _page(service.queries.projects(cycle), start, limit, request, response)]

    @app.get("/api/v1/logs/{log}/cycles/{cycle}/results", response_model=ResultsPublic)
    def results(log: str, cycle: str) -> ResultsPublic:
        check_log(log)
        row = cycle_row(cycle)
        if row["spent"] is None:
            raise NotFound("results_not_announced", "the results of this cycle have not been announced yet")
        projects = [_project_public(p) for p in service.queries.projects(cycle)]
        winners = [p.project for p in projects if p.selected]
        return ResultsPublic(cycle=cycle, rule=row["rule"], winners=winners, spent=row["spent"], ballots=row["ballots"],
                             closing_entry=row["closing_entry"], projects=projects)

    @app.get("/api/v1/logs/{log}/cycles/{cycle}/ideas", response_model=list[IdeaPublic])
    def cycle_ideas(log: str, cycle: str, request: Request, response: Response, start: int = START,
                    limit: int = LIMIT) -> list[IdeaPublic]:
        check_log(log)
        cycle_row(cycle)
        return [_idea_public(row, []) for row in _page(service.queries.ideas(cycle), start, limit, request, response)]

    @app.get("/api/v1/logs/{log}/cycles/{cycle}/milestones", response_model=list[MilestonePublic])
    def milestones(log: str, cycle: str, request: Request, response: Response, start: int = START,
                   limit: int = LIMIT) -> list[MilestonePublic]:
        check_log(log)
        cycle_row(cycle)
        rows = _page(service.queries.milestones(cycle), start, limit, request, response)
        return [MilestonePublic(seq=r["seq"], project=r["project"], kind=r["kind"], date=r["date"],
                                percent=r["percent"], reason=r["reason"], note=r["note"]) for r in rows]

    @app.get("/api/v1/logs/{log}/ideas/{receipt}", response_model=IdeaPublic)
    def idea(log: str, receipt: str) -> IdeaPublic:
        check_log(log)
        queries = service.fresh_queries()
        row = queries.idea(receipt)
        if row is None:
            raise NotFound("unknown_idea", f"no idea with receipt {receipt!r}")
        return _idea_public(row, queries.idea_history(receipt))

    @app.get("/healthz")
    def health() -> dict[str, Any]:
        seq, head = service.ledger.head()
        return {"status": "ok", "log": service.ledger.log_id, "entries": seq, "head": head}

    install_staff_routes(app, service.accounts, check_log)
    install_read_routes(app, service, check_log)
    install_commands(app, service.services, check_log)
    install_transparency_routes(app, service.services.transparency, check_log, service.public_log_size)

    def check_cycle(log: str, cycle: str) -> None:
        check_log(log)
        cycle_row(cycle)

    install_read_api(app, service, check_cycle)


def _page(rows: list[dict[str, Any]], start: int, limit: int, request: Request,
          response: Response) -> list[dict[str, Any]]:
    """One page of a list; when more follow, a `Link: <…>; rel="next"` header (RFC 8288) points at the next."""
    if start + limit < len(rows):
        following = request.url.include_query_params(start=start + limit, limit=limit)
        response.headers["Link"] = f'<{following}>; rel="next"'
    return rows[start:start + limit]


def _install_pages(app: FastAPI, service: Service) -> None:
    from pb_ledger.web.ballot_pages import install_ballot_pages
    from pb_ledger.web.pages import install_pages
    from pb_ledger.web.paper_forms import install_paper_forms
    from pb_ledger.web.rendering import install_static
    from pb_ledger.web.staff_pages import install_staff_pages

    install_static(app)
    install_pages(app, service)
    install_ballot_pages(app, service)
    install_paper_forms(app, service)
    install_staff_pages(app, service)


def _idea_public(row: dict[str, Any], history: list[dict[str, Any]]) -> IdeaPublic:
    return IdeaPublic(idea=row["idea"], cycle=row["cycle"], title=row["title"], status=row["status"],
                      channel=row["channel"], district=row["district"], reason=row["reason"],
                      project=row["project"],
                      history=[IdeaEventPublic(seq=h["seq"], event=h["event"], detail=h["detail"]) for h in history])


def _cycle_public(row: dict[str, Any]) -> CyclePublic:
    return CyclePublic(cycle=row["cycle"], title=row["title"],
                       budget={"amount": row["amount"], "currency": row["currency"], "exponent": row["exponent"]},
                       phase=row["phase"], vote_type=row["vote_type"], rule=row["rule"], tie_break=row["tie_break"],
                       threshold=row["threshold"], ballots=public_ballots(row), spent=row["spent"])


def _project_public(row: dict[str, Any]) -> ProjectPublic:
    selected = None if row["selected"] is None else bool(row["selected"])
    return ProjectPublic(project=row["project"], idea=row["idea"], title=row["title"], cost=row["cost"],
                         score=row["score"], rank=row["rank"], selected=selected, on_ballot=bool(row["on_ballot"]),
                         district=row["district"], category=row["category"])

