"""The report's charts: PNG images drawn with matplotlib (its object API, no global pyplot state, so reports can be
drawn from several threads of the service). matplotlib 3.11 shapes complex scripts itself (Arabic letters joined,
right to left); Noto Sans Arabic (Debian's fonts-noto-core) draws them, DejaVu Sans the rest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pb_ledger.report.strings import word
from projections.statistics import Table

FONTS = ["DejaVu Sans", "Noto Sans Arabic"]  # a list: matplotlib falls back glyph by glyph
COLOURS = {"main": "#1f6f8b", "second": "#99c4c8", "late": "#c0392b", "done": "#2e7d32"}
DPI = 150


class Charts:
    def __init__(self, lang: str, money: Callable[[int | None], float], currency: str) -> None:
        self.lang, self.money, self.currency = lang, money, currency

    def label(self, key: Any) -> str:
        return word(str(key), self.lang) if key not in (None, "") else word("none", self.lang)

    def draw(self, table: Table, path: Path) -> bool:
        """Draw the chart of `table` into `path`; False when the table has no chart or nothing to show."""
        if not drawable(table):
            return False
        drawer = getattr(self, f"_{table.name}")
        figure = Figure(figsize=(7.5, 3.8), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        drawer(axes, table)
        for text in axes.get_xticklabels() + axes.get_yticklabels():
            text.set_fontfamily(FONTS)
        axes.spines[["top", "right"]].set_visible(False)
        figure.savefig(path, format="png")
        return True

    def _bars(self, axes: Any, labels: list[str], values: list[float], unit: str, colour: str = "main") -> None:
        bars = axes.bar(labels, values, color=COLOURS[colour])
        axes.bar_label(bars, labels=[_number(v) for v in values], fontsize=8)
        self._unit(axes, unit)

    def _unit(self, axes: Any, unit: str) -> None:
        axes.set_ylabel(unit, fontfamily=FONTS)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _number(value)))

    def _participation_by_channel(self, axes: Any, t: Table) -> None:
        self._bars(axes, [self.label(r["channel"]) for r in t.rows], [r["ballots_counted"] for r in t.rows],
                   word("ballots_counted", self.lang))

    def _participation_by_district(self, axes: Any, t: Table) -> None:
        self._bars(axes, [self.label(r["district"]) for r in t.rows], [r["ballots_counted"] for r in t.rows],
                   word("ballots_counted", self.lang))
        for n, row in enumerate(t.rows):
            if row["turnout_percent"] is not None:
                axes.annotate(f"{row['turnout_percent']:g} %", (n, 0), xytext=(0, 4), textcoords="offset points",
                              ha="center", color="white", fontsize=8, fontweight="bold")

    def _ideas_by_status(self, axes: Any, t: Table) -> None:
        self._bars(axes, [self.label(r["status"]) for r in t.rows], [r["ideas"] for r in t.rows],
                   word("ideas", self.lang))

    def _ideas_by_channel(self, axes: Any, t: Table) -> None:
        self._grouped(axes, [self.label(r["channel"]) for r in t.rows],
                      [("submitted", [r["submitted"] for r in t.rows]), ("accepted", [r["accepted"] for r in t.rows])],
                      word("ideas", self.lang))

    def _ideas_by_district(self, axes: Any, t: Table) -> None:
        self._grouped(axes, [self.label(r["district"]) for r in t.rows],
                      [("submitted", [r["submitted"] for r in t.rows]), ("accepted", [r["accepted"] for r in t.rows])],
                      word("ideas", self.lang))

    def _rejections_by_criterion(self, axes: Any, t: Table) -> None:
        labels = [r["label"] for r in t.rows]
        bars = axes.barh(labels, [r["rejection_decisions"] for r in t.rows], color=COLOURS["late"],
                         height=min(0.8, 0.25 * len(labels)))
        axes.bar_label(bars, fontsize=8, padding=3)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel(word("rejection_decisions", self.lang), fontfamily=FONTS)

    def _money_by_district(self, axes: Any, t: Table) -> None:
        series = [("funded_amount", [self.money(r["funded_amount"]) for r in t.rows])]
        if any(r["envelope"] is not None for r in t.rows):
            series.insert(0, ("envelope", [self.money(r["envelope"]) for r in t.rows]))
        self._grouped(axes, [self.label(r["district"]) for r in t.rows], series,
                      f"{word('funded_amount', self.lang)} ({self.currency})")

    def _money_by_category(self, axes: Any, t: Table) -> None:
        self._bars(axes, [self.label(r["category"]) for r in t.rows], [self.money(r["funded_amount"]) for r in t.rows],
                   f"{word('funded_amount', self.lang)} ({self.currency})")

    def _implementation(self, axes: Any, t: Table) -> None:
        labels = [_short(r["title"]) for r in t.rows]
        colours = [COLOURS["late"] if r["status"] == "delayed" else COLOURS["done"] if r["status"] == "completed"
                   else COLOURS["main"] for r in t.rows]
        bars = axes.barh(labels, [r["percent"] for r in t.rows], color=colours)
        axes.bar_label(bars, labels=[f"{r['percent']} % · {self.label(r['status'])}" for r in t.rows], fontsize=8,
                       padding=3, fontfamily=FONTS)
        axes.set_xlim(0, 130)
        axes.set_xlabel(word("percent", self.lang), fontfamily=FONTS)

    def _grouped(self, axes: Any, labels: list[str], series: list[tuple[str, list[float]]], unit: str) -> None:
        width = 0.8 / len(series)
        for n, (name, values) in enumerate(series):
            positions = [i + (n - (len(series) - 1) / 2) * width for i in range(len(labels))]
            bars = axes.bar(positions, values, width, label=word(name, self.lang),
                            color=COLOURS["main" if n == len(series) - 1 else "second"])
            axes.bar_label(bars, labels=[_number(v) for v in values], fontsize=7)
        axes.set_xticks(range(len(labels)), labels)
        self._unit(axes, unit)
        if len(series) > 1:
            axes.legend(prop={"family": FONTS, "size": 8})


def drawable(table: Table) -> bool:
    """Whether `table` has a chart, and something to show in it."""
    return (hasattr(Charts, f"_{table.name}") and bool(table.rows) and not _only_unknown_districts(table)
            and not _withheld(table))


def _withheld(table: Table) -> bool:
    """Ballot counts of an open vote, withheld from the public: no chart."""
    return any(column in table.columns and all(row[column] is None for row in table.rows)
               for column in ("ballots_counted",))


def _only_unknown_districts(table: Table) -> bool:
    """A cycle without districts (no register with districts, no vote by district): one bar saying "not given" tells
    nothing; the table says it."""
    return "district" in table.columns and all(not row["district"] for row in table.rows)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", "\u202f")


def _short(title: str, length: int = 38) -> str:
    return title if len(title) <= length else title[:length - 1] + "…"
