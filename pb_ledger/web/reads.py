"""Read routes of the evaluation and the open data: participation, committee decisions, the implementation tracker,
statistics (JSON, and every table as CSV or JSON), the evaluation report (HTML, PDF, chart images), the open-data
dump and the pabulib file — and `/metrics`, the read models' lag for Prometheus.

No count of an open vote's ballots reaches the public (pb_ledger/web/visibility.py): the public routes withhold them
(`null`) until the vote closes; the staff who run and audit the vote follow participation live on
`…/participation/live`.

Every read here accepts `?after=SEQ`: it then waits until the read models have applied entry SEQ (the one a command
just appended), rather than the whole log as it is when the request arrives (the default)."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Response
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.background import BackgroundTask

from pb_ledger.domain.errors import DomainError
from pb_ledger.report.charts import drawable
from pb_ledger.report.document import Provenance, draw_charts, render_html, statistics, table_csv, write_report
from pb_ledger.web import i18n
from pb_ledger.web.visibility import counts_public
from projections.metrics import lag_registry
from projections.queries import CycleQueries

AFTER = Query(None, ge=0, description="wait until the read models have applied this entry (its seq) first")
CYCLE = "/api/v1/logs/{log}/cycles/{cycle}"


def install_read_routes(app: FastAPI, service: Any, check_log: Callable[[str], None]) -> None:
    registry = lag_registry(service.ledger.log_id, service.read_models.lag)

    def fresh(log: str, cycle: str, after: int | None) -> tuple[CycleQueries, Provenance]:
        check_log(log)
        queries = service.fresh_queries(after)
        if queries.cycle(cycle) is None:
            raise DomainError("unknown_cycle", f"no cycle {cycle!r} in this log")
        position = service.read_models.view.position()
        head = service.ledger.entries(position - 1, 1)[0].entry_hash if position else ""
        return queries, Provenance(service.ledger.log_id, position, head)

    def participation_of(log: str, cycle: str, after: int | None, live: bool) -> dict[str, Any]:
        queries, at = fresh(log, cycle, after)
        shown = live or counts_public(queries.cycle(cycle) or {"phase": "vote"})
        rows = queries.participation(cycle)
        return {"cycle": cycle, "entries": at.position, "eligible": queries.eligible(cycle),
                "eligible_by_district": queries.register(cycle), "withheld": not shown,
                "ballots_cast": sum(r["ballots"] for r in rows) if shown else None,
                "ballots_counted": sum(r["counted"] for r in rows) if shown else None,
                "by_channel_and_district": rows if shown else None}

    @app.get(f"{CYCLE}/participation")
    def participation(log: str, cycle: str, after: int | None = AFTER) -> dict[str, Any]:
        """Ballots cast by channel and district, once the vote is closed (withheld before), and the register's
        counts. Never votes per project: those are the results."""
        return participation_of(log, cycle, after, live=False)

    @app.get(f"{CYCLE}/participation/live")
    def live_participation(log: str, cycle: str, after: int | None = AFTER) -> dict[str, Any]:
        """For the PB team and auditors: the ballots cast so far, while the vote is open."""
        return participation_of(log, cycle, after, live=True)

    @app.get(f"{CYCLE}/decisions")
    def decisions(log: str, cycle: str, after: int | None = AFTER) -> list[dict[str, Any]]:
        """Every committee decision on the cycle's ideas, revisions included, with its public reason."""
        queries, _ = fresh(log, cycle, after)
        return [{k: v for k, v in row.items() if k not in ("log_id",)} for row in queries.decisions(cycle)]

    @app.get(f"{CYCLE}/implementation")
    def implementation(log: str, cycle: str, after: int | None = AFTER) -> list[dict[str, Any]]:
        """Each funded project's latest milestone, progress and delays."""
        queries, _ = fresh(log, cycle, after)
        return queries.implementation(cycle)

    @app.get(f"{CYCLE}/statistics")
    def all_statistics(log: str, cycle: str, after: int | None = AFTER) -> dict[str, Any]:
        queries, at = fresh(log, cycle, after)
        return statistics(queries, cycle, at, public(queries, cycle)).as_json()

    @app.get(f"{CYCLE}/statistics/{{file}}")
    def one_table(log: str, cycle: str, file: str, after: int | None = AFTER) -> Response:
        """One table of the statistics: NAME.csv or NAME.json."""
        queries, at = fresh(log, cycle, after)
        name, _, kind = file.rpartition(".")
        table = next((t for t in statistics(queries, cycle, at, public(queries, cycle)).tables if t.name == name), None)
        if table is None or kind not in ("csv", "json"):
            raise DomainError("not_found", f"no statistics table {file!r}: ask for NAME.csv or NAME.json")
        if kind == "json":
            return Response(_json(table.as_json()), media_type="application/json")
        return PlainTextResponse(table_csv(table), media_type="text/csv; charset=utf-8")

    @app.get(f"{CYCLE}/report.html", response_class=HTMLResponse)
    def report_html(log: str, cycle: str, lang: str | None = None, after: int | None = AFTER) -> HTMLResponse:
        """The evaluation report as a web page (its charts under report/charts/)."""
        queries, at = fresh(log, cycle, after)
        stats = statistics(queries, cycle, at, public(queries, cycle))
        charts = [t.name for t in stats.tables if drawable(t)]
        html = render_html(stats, i18n.pick_language(lang), charts, queries).replace(
            'src="charts/', f'src="/api/v1/logs/{log}/cycles/{cycle}/report/charts/')
        return HTMLResponse(html)

    @app.get(f"{CYCLE}/report/charts/{{file}}")
    def report_chart(log: str, cycle: str, file: str, lang: str | None = None, after: int | None = AFTER) -> Response:
        queries, at = fresh(log, cycle, after)
        folder = Path(tempfile.mkdtemp())
        try:
            drawn = draw_charts(statistics(queries, cycle, at, public(queries, cycle)), i18n.pick_language(lang), folder,
                                only=file.removesuffix(".png"))
            if not drawn or not file.endswith(".png"):
                raise DomainError("not_found", f"no chart {file!r} (yet)")
            return Response((folder / file).read_bytes(), media_type="image/png")
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    @app.get(f"{CYCLE}/report.pdf", response_class=FileResponse)
    def report_pdf(log: str, cycle: str, lang: str | None = None, after: int | None = AFTER) -> FileResponse:
        queries, at = fresh(log, cycle, after)
        folder = Path(tempfile.mkdtemp())
        write_report(queries, cycle, at, folder, i18n.pick_language(lang), ballots_public=public(queries, cycle))
        return FileResponse(folder / "report.pdf", media_type="application/pdf", filename=f"report-{cycle}.pdf",
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    @app.get(f"{CYCLE}/open-data.zip", response_class=FileResponse)
    def open_data(log: str, cycle: str, after: int | None = AFTER) -> FileResponse:
        """The cycle's open data (docs/open-data.md) as one zip file."""
        from pb_ledger.open_data import write_open_data

        queries, at = fresh(log, cycle, after)
        folder = Path(tempfile.mkdtemp())
        write_open_data(service.ledger, queries, cycle, at, folder / "open-data")
        archive = folder / f"open-data-{cycle}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
            for path in sorted((folder / "open-data").iterdir()):
                z.write(path, path.name)
        return FileResponse(archive, media_type="application/zip", filename=archive.name,
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    @app.get(f"{CYCLE}/pabulib.pb", response_class=FileResponse)
    def pabulib(log: str, cycle: str, country: str | None = None, language: str | None = None) -> FileResponse:
        """The cycle as a pabulib .pb file (read from the log)."""
        from pb_ledger.pabulib_export import export_cycle_pabulib

        check_log(log)
        folder = Path(tempfile.mkdtemp())
        done = export_cycle_pabulib(service.ledger, cycle, folder / f"{cycle}.pb", country=country, language=language)
        return FileResponse(done.path, media_type="text/plain; charset=utf-8", filename=f"{cycle}.pb",
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics() -> Response:
        """The read models' position and lag (entries, seconds) and the log's size, in Prometheus' text format."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def public(queries: CycleQueries, cycle: str) -> bool:
    """Whether the public may see the cycle's ballot counts now (once its vote is closed)."""
    row = queries.cycle(cycle)
    return row is not None and counts_public(row)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
