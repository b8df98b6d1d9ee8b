"""The evaluation report of a cycle (stage 6 of the guide), written into a folder:

    report.html          the report, with its charts (charts/*.png), in Arabic, French or English
    report.pdf           the same, printed by WeasyPrint (HTML and CSS to PDF, with Pango's text shaping, so Arabic
                         prints right to left with its letters joined)
    tables/NAME.csv      every table, one file each (UTF-8, header row, amounts in minor units)
    tables/NAME.json     the same as JSON
    statistics.json      every table, with the cycle and the log position they were computed at

Everything comes from the read models (projections/statistics.py), which come from the log only; the report says at
which entry of the log it was computed and that entry's hash, so a reader can check it against an export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pb_ledger.report.charts import Charts
from pb_ledger.report.strings import word
from pb_ledger.web import i18n
from projections.queries import CycleQueries
from projections.statistics import MONEY_COLUMNS, EvaluationStatistics, Table

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape())
CODED = frozenset({"channel", "status", "phase", "measure"})  # columns whose values are codes to put in words


class ReportRefused(ValueError):
    code = "unknown_cycle"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Provenance:
    log: str
    position: int  # the read models had applied the entries before this seq
    head_hash: str

    def as_json(self) -> dict[str, Any]:
        return {"log": self.log, "entries": self.position, "head_hash": self.head_hash}


@dataclass(frozen=True)
class Statistics:
    cycle: dict[str, Any]
    tables: list[Table]
    provenance: Provenance

    def as_json(self) -> dict[str, Any]:
        return {"format": "pb-ledger-statistics/1", "cycle": self.cycle["cycle"], "title": self.cycle["title"],
                "computed_at": self.provenance.as_json(), "tables": {t.name: t.as_json() for t in self.tables}}


def statistics(queries: CycleQueries, cycle_id: str, provenance: Provenance, ballots_public: bool = True) -> Statistics:
    """The statistics of a cycle; `ballots_public=False` withholds the counts of ballots (an open vote, shown to
    the public: pb_ledger/web/visibility.py)."""
    cycle = queries.cycle(cycle_id)
    if cycle is None:
        raise ReportRefused(f"no cycle {cycle_id!r} in log {provenance.log!r}")
    return Statistics(cycle, EvaluationStatistics(queries, ballots_public).tables(cycle_id), provenance)


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table.columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table.rows)
    return out.getvalue()


def write_report(queries: CycleQueries, cycle_id: str, provenance: Provenance, out: Path, lang: str = "ar",
                 pdf: bool = True, ballots_public: bool = True) -> list[Path]:
    """Write the report of `cycle_id` into `out`; returns the files written."""
    stats = statistics(queries, cycle_id, provenance, ballots_public)
    lang = i18n.pick_language(lang)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "charts").mkdir(exist_ok=True)
    written = [_write(out / "statistics.json", json.dumps(stats.as_json(), ensure_ascii=False, indent=2))]
    for table in stats.tables:
        written.append(_write(out / "tables" / f"{table.name}.csv", table_csv(table)))
        written.append(_write(out / "tables" / f"{table.name}.json",
                              json.dumps(table.as_json(), ensure_ascii=False, indent=2)))
    charts = draw_charts(stats, lang, out / "charts")
    written += [out / "charts" / f"{name}.png" for name in charts]
    html = render_html(stats, lang, charts, queries)
    written.append(_write(out / "report.html", html))
    if pdf:
        from weasyprint import HTML  # type: ignore[import-untyped]

        HTML(string=html, base_url=str(out)).write_pdf(out / "report.pdf")
        written.append(out / "report.pdf")
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def draw_charts(stats: Statistics, lang: str, folder: Path, only: str | None = None) -> list[str]:
    charts = Charts(lang, lambda amount: _major(amount, stats.cycle), stats.cycle["currency"])
    return [t.name for t in stats.tables if (only is None or t.name == only) and
            charts.draw(t, folder / f"{t.name}.png")]


def _major(amount: int | None, cycle: dict[str, Any]) -> float:
    return 0.0 if amount is None else amount / 10 ** int(cycle["exponent"])


def render_html(stats: Statistics, lang: str, charts: list[str], queries: CycleQueries) -> str:
    cycle = stats.cycle
    return TEMPLATES.get_template("report.html").render(
        lang=lang, dir=i18n.DIRECTION[lang], w=lambda key: word(key, lang), cycle=cycle, stats=stats,
        charts=set(charts), cell=lambda column, value: _cell(column, value, cycle, lang),
        lessons=queries.lessons(cycle["cycle"]), generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        money=lambda amount: _money(amount, cycle))


def _cell(column: str, value: Any, cycle: dict[str, Any], lang: str) -> str:
    if value is None or value == "":
        return "—"
    if column in MONEY_COLUMNS:
        return _money(value, cycle)
    if column in CODED:
        return word(str(value), lang)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def _money(amount: int | None, cycle: dict[str, Any]) -> str:
    if amount is None:
        return "—"
    exponent = int(cycle["exponent"])
    whole, cents = divmod(int(amount), 10 ** exponent) if exponent else (int(amount), 0)
    text = f"{whole:,}".replace(",", "\u202f")
    return f"{text}{f'.{cents:0{exponent}d}' if cents else ''} {cycle['currency']}"
