"""Charts everyone can read: SVG drawn on the server, with a title, a description and a table beside it.

No JavaScript. Each chart is ``role="img"``, its ``<title>`` and ``<desc>`` are written from the
figures ("Bar chart: people involved by pathway level, from 12 to 87"), and it points to the
data table that carries the same figures (``aria-describedby``), so a screen reader user reads
the table and nobody depends on telling bars apart by colour. The same SVG goes inline into a
WeasyPrint PDF. Figures held back (a small number) are ``None``: no bar is drawn and the table
says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Text = str | Promise

WIDTH = 640
BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 220
VALUE_WIDTH = 90
# Dark enough against white for 3:1 contrast, and told apart by pattern order, never colour alone.
COLOURS = ("#1d70b8", "#0b0c0c", "#00703c", "#d4351c", "#4c2c92")


@dataclass(frozen=True)
class Series:
    name: Text
    values: list[float | int | None]


@dataclass(frozen=True)
class Chart:
    """A bar chart (one series) or a grouped bar chart (several) over the same categories."""

    key: str  # unique on the page: the ids of the chart and its table come from it
    title: Text  # "people involved by pathway level"
    categories: list[Text]
    series: list[Series]
    unit: Text = ""
    held_back: Text = field(default="")  # what a missing figure means, e.g. "fewer than 5"
    category_title: Text = ""  # the heading of the table's first column, e.g. "Pathway level"

    @property
    def kind(self) -> str:
        return _("Bar chart") if len(self.series) == 1 else _("Grouped bar chart")

    @property
    def table_id(self) -> str:
        return f"chart-{self.key}-table"

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"


def _number(value: float | int) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _shown(chart: Chart) -> list[float | int]:
    return [v for s in chart.series for v in s.values if v is not None]


def description(chart: Chart) -> str:
    """The chart in one sentence: its kind, what it shows, and the range of its figures."""
    shown = _shown(chart)
    what = f"{chart.kind}: {chart.title}"
    if len(chart.series) > 1:
        what += " (" + ", ".join(str(s.name) for s in chart.series) + ")"
    if not shown:
        return _("%(what)s, with no figures to show.") % {"what": what}
    low, high = min(shown), max(shown)
    unit = f" {chart.unit}" if chart.unit else ""
    if low == high:
        text = _("%(what)s, every figure %(value)s%(unit)s") % {"what": what, "value": _number(low), "unit": unit}
    else:
        text = _("%(what)s, from %(low)s to %(high)s%(unit)s") % {
            "what": what,
            "low": _number(low),
            "high": _number(high),
            "unit": unit,
        }
    held = sum(1 for s in chart.series for v in s.values if v is None)
    if held:
        text += "; " + ngettext("%(count)s figure held back: %(why)s", "%(count)s figures held back: %(why)s", held) % {
            "count": held,
            "why": chart.held_back,
        }
    return text + "."


def cell(chart: Chart, value: float | int | None) -> str:
    return _number(value) if value is not None else str(chart.held_back or _("not shown"))


def svg(chart: Chart) -> SafeString:
    """The chart as inline SVG, described by its table."""
    shown = _shown(chart)
    top = max(shown) if shown else 0
    per_group = len(chart.series)
    group_height = per_group * BAR_HEIGHT + GAP
    legend = 24 if per_group > 1 else 0
    height = legend + len(chart.categories) * group_height + GAP
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    title = escape(f"{chart.kind}: {chart.title}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart.chart_id}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart.chart_id}-title" aria-describedby="{chart.chart_id}-desc {chart.table_id}">',
        f'<title id="{chart.chart_id}-title">{title}</title>',
        f'<desc id="{chart.chart_id}-desc">{escape(description(chart))}</desc>',
    ]
    if per_group > 1:
        x = LABEL_WIDTH
        for i, s in enumerate(chart.series):
            colour = COLOURS[i % len(COLOURS)]
            parts.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{colour}"/>')
            parts.append(f'<text x="{x + 20}" y="16" font-size="13" fill="#0b0c0c">{escape(str(s.name))}</text>')
            x += 30 + 8 * len(str(s.name))
    for c, category in enumerate(chart.categories):
        y0 = legend + GAP + c * group_height
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y0 + per_group * BAR_HEIGHT / 2 + 5:.0f}" text-anchor="end" '
            f'font-size="13" fill="#0b0c0c">{escape(str(category))}</text>'
        )
        for i, s in enumerate(chart.series):
            value = s.values[c]
            y = y0 + i * BAR_HEIGHT
            width = 0 if value is None or not top else max(1.0, plot * value / top)
            colour = COLOURS[i % len(COLOURS)]
            if value is not None:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width:.1f}" '
                    f'height="{BAR_HEIGHT - 4}" fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT - 7}" font-size="12" '
                f'fill="#0b0c0c">{escape(cell(chart, value))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text in it is escaped above


def table(chart: Chart) -> SafeString:
    """The chart's figures as a table, the one the chart points to."""
    heads = "".join(f'<th scope="col">{escape(str(s.name))}</th>' for s in chart.series)
    rows = []
    for c, category in enumerate(chart.categories):
        cells = "".join(
            f'<td class="numeric" data-label="{escape(str(s.name))}">{escape(cell(chart, s.values[c]))}</td>'
            for s in chart.series
        )
        rows.append(f'<tr><th scope="row">{escape(str(category))}</th>{cells}</tr>')
    unit = f" ({escape(str(chart.unit))})" if chart.unit else ""
    first = escape(str(chart.category_title or _("Figure")))
    return mark_safe(  # noqa: S308 -- every piece of text in it is escaped above
        f'<table class="table" id="{chart.table_id}"><caption>{escape(str(chart.title))}{unit}</caption>'
        f'<thead><tr><th scope="col">{first}</th>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def figure(chart: Chart) -> SafeString:
    """Chart and table together, with a link from the chart to its table for those who want the figures."""
    link = f'<p><a href="#{chart.table_id}">{escape(_("The figures in this chart as a table"))}</a></p>'
    return mark_safe(f'<figure class="chart-figure">{svg(chart)}{link}{table(chart)}</figure>')  # noqa: S308 -- escaped
