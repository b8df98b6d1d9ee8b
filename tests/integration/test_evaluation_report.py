"""The evaluation report of the demonstration cycle, generated from the read models on each store: the HTML and the
PDF, charts that are real pictures (a person looks at them: they have bars, labels, colour), every table as CSV and
JSON with the same rows, and numbers that agree with the cycle."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from PIL import Image
from weasyprint import HTML

from pb_ledger.config import Settings
from pb_ledger.demo import load_demo
from pb_ledger.ledger.store import Ledger
from pb_ledger.report.document import Provenance, write_report
from pb_ledger.services import Services
from pb_ledger.sqlstore import ReadStore
from projections.follow import open_view
from projections.queries import CycleQueries

CHARTS = ("participation_by_channel", "ideas_by_status", "ideas_by_channel",
          "ideas_by_district", "rejections_by_criterion", "money_by_district", "money_by_category", "implementation")


def report_of_the_demo(settings: Settings, out: Path, lang: str) -> tuple[str, CycleQueries]:
    ledger = Ledger(settings, "commune-report")
    cycle = load_demo(Services(ledger))
    view = open_view(settings, ledger.log_id)
    view.migrate()
    position = view.catch_up()
    queries = CycleQueries(ReadStore(settings), ledger.log_id)
    provenance = Provenance(ledger.log_id, position, ledger.entries(position - 1, 1)[0].entry_hash)
    write_report(queries, cycle, provenance, out, lang)
    return cycle, queries


def test_the_demo_cycles_report_has_its_charts_tables_html_and_pdf(settings: Settings, tmp_path: Path) -> None:
    cycle, queries = report_of_the_demo(settings, tmp_path, "ar")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in html and "تقرير تقييم الميزانية التشاركية" in html
    for chart in CHARTS:
        assert f'src="charts/{chart}.png"' in html
        image = Image.open(tmp_path / "charts" / f"{chart}.png").convert("RGB")
        assert image.size[0] >= 1000 and image.size[1] >= 500, chart
        colours = image.getcolors(maxcolors=1 << 16) or []
        assert len(colours) > 50, f"{chart} looks blank"  # anti-aliased text and bars, not an empty canvas
    assert not (tmp_path / "charts" / "participation_by_district.png").exists()  # no district in the demo's votes
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")
    printed = HTML(filename=tmp_path / "report.html", base_url=str(tmp_path)).render()
    assert len(printed.pages) >= 4  # the pages of report.pdf: every section, its chart and its table


def test_every_table_is_the_same_in_csv_json_and_the_statistics(settings: Settings, tmp_path: Path) -> None:
    cycle, queries = report_of_the_demo(settings, tmp_path, "en")
    stats = json.loads((tmp_path / "statistics.json").read_text(encoding="utf-8"))
    for name, table in stats["tables"].items():
        assert json.loads((tmp_path / "tables" / f"{name}.json").read_text(encoding="utf-8")) == table
        with (tmp_path / "tables" / f"{name}.csv").open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert rows == [{k: "" if v is None else str(v) for k, v in row.items()} for row in table["rows"]]
    tables = stats["tables"]
    assert tables["turnout"]["rows"] == [{"eligible": None, "ballots_cast": 600, "ballots_counted": 600,
                                          "turnout_percent": None}]
    spent = queries.cycle(cycle)["spent"]  # type: ignore[index]
    assert sum(r["funded_amount"] for r in tables["money_by_district"]["rows"]) == spent
    assert sum(r["funded_amount"] for r in tables["money_by_category"]["rows"]) == spent
    assert {r["criterion"]: r["ideas_rejected"] for r in tables["rejections_by_criterion"]["rows"]} == \
        {"cost-within-budget": 1}
    timeline = {r["phase"]: r for r in tables["timeline"]["rows"]}
    assert timeline["vote"]["planned_end"] == "2026-05-24" and timeline["vote"]["started"] is not None
