"""The results chart, drawn on the server as SVG (no script, no external file): one bar per project, its length the
project's score, funded projects in the accent colour. Bars grow from the right in Arabic. The table under the chart
carries the same numbers for screen readers; the chart is labelled as an image with its own title."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from pb_ledger.web.i18n import Formats, translations

BAR, GAP, LABEL, WIDTH = 26, 10, 260, 760
FUNDED, NOT_FUNDED, INK = "#0b6e4f", "#8a96a3", "#1d2733"


def results_chart(projects: list[dict[str, Any]], cycle: dict[str, Any], lang: str) -> Markup:
    _ = translations(lang).gettext
    fmt = Formats(lang)
    rtl = lang == "ar"
    top = max([int(p["score"] or 0) for p in projects] + [1])
    height = len(projects) * (BAR + GAP) + GAP
    span = WIDTH - LABEL - 90
    title = _("Votes for each project; funded projects in green")
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" '
              f'viewBox="0 0 {WIDTH} {height}" width="100%" class="chart">'),
             f'<title id="chart-title">{escape(title)}</title>']
    for n, project in enumerate(projects):
        y = GAP + n * (BAR + GAP)
        length = max(2, round(span * int(project["score"] or 0) / top))
        colour = FUNDED if project["selected"] else NOT_FUNDED
        name = _shorten(f'{project["project"]} · {project["title"]}')
        score = fmt.number(project["score"])
        if rtl:  # the label at the right edge, the bar growing leftwards, the score left of the bar
            x_bar, x_label, x_score = WIDTH - LABEL - length, WIDTH - 4, WIDTH - LABEL - length - 6
        else:
            x_bar, x_label, x_score = LABEL, 4, LABEL + length + 6
        direction = "rtl" if rtl else "ltr"  # text-anchor "start" is then the right end of the text
        parts.append(f'<text x="{x_label}" y="{y + BAR * 0.7:.1f}" fill="{INK}" font-size="14" '
                     f'text-anchor="start" direction="{direction}">{escape(name)}</text>')
        parts.append(f'<rect x="{x_bar}" y="{y}" width="{length}" height="{BAR}" fill="{colour}" rx="3"/>')
        parts.append(f'<text x="{x_score}" y="{y + BAR * 0.7:.1f}" fill="{INK}" font-size="14" '
                     f'text-anchor="start" direction="{direction}">{escape(score)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
