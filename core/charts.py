"""Bar charts drawn on the server as SVG: no JavaScript, no web font, no
library. A chart is data (categories along the bottom, one or more series
of counts); `render_svg` draws it with every text escaped, each bar with its
number in a <title> (shown on hover, read by screen readers), and the whole
picture labelled (role="img", aria-label). The page shows the same numbers
as a table beside it (templates/charts/_chart.html), so nobody has to read
values off a picture.

    Chart(key="intake", title=_("Records filed per month"),
          categories=[ChartCategory("2026-01", "1月")], series=[ChartSeries(_("Records"), (12,))])
"""
import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

# Okabe–Ito hues (told apart with the common colour-vision deficiencies),
# darkened to at least 3:1 against the white page (WCAG 1.4.11).
PALETTE = ("#0072b2", "#b85c00", "#00805a", "#a0458a", "#5f6b7a", "#c0392b", "#7a6a00", "#2b5f8a")

# A small canvas: the picture is scaled to its column, and its 13-unit text
# stays readable down to a phone's width (about 9 px at 390 px).
WIDTH = 480
HEIGHT = 250
MARGIN_LEFT = 40
MARGIN_RIGHT = 8
MARGIN_TOP = 14
MARGIN_BOTTOM = 46
FONT_SIZE = 13


@dataclass(frozen=True)
class ChartCategory:
    """One place along the bottom axis: `label` in full (the table, the
    hover text), `short` under the bar (a month: 3月), `note` a second line
    under it (the year, under January)."""

    label: str
    short: str = ""
    note: str = ""

    @property
    def axis_label(self):
        return self.short or self.label


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple

    @property
    def total(self):
        return sum(self.values)


@dataclass(frozen=True)
class Chart:
    """What a chart shows. `stacked` puts the series of a category on top of
    each other (parts of one total); otherwise they stand side by side."""

    key: str
    title: str
    categories: tuple
    series: tuple
    description: str = ""
    category_heading: str = ""
    stacked: bool = True
    link: str = ""
    link_label: str = ""

    def __post_init__(self):
        for one in self.series:
            if len(one.values) != len(self.categories):
                raise ValueError(
                    f"chart {self.key}: series {one.name!r} has {len(one.values)} values "
                    f"for {len(self.categories)} categories"
                )

    @property
    def totals(self):
        columns = zip(*(one.values for one in self.series))
        return tuple(sum(values) for values in columns) or tuple(0 for _category in self.categories)

    @property
    def total(self):
        return sum(self.totals)

    @property
    def has_legend(self):
        return len(self.series) > 1

    @property
    def legend(self):
        return [(one.name, PALETTE[index % len(PALETTE)]) for index, one in enumerate(self.series)]

    @property
    def rows(self):
        """The table under the chart: (category label, values..., total)."""
        return [
            (category.label, [one.values[index] for one in self.series], self.totals[index])
            for index, category in enumerate(self.categories)
        ]

    @property
    def svg(self):
        return render_svg(self)


def nice_ceiling(value, ticks=4):
    """The top of the value axis and its step: a round step (1, 2, 5 × 10ⁿ)
    so that `ticks` steps reach at least `value`."""
    if value <= 0:
        return ticks, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = max(1, int(factor * magnitude))
        if step * ticks >= value:
            return step * ticks, step
    return value, math.ceil(value / ticks)  # not reached: factor 10 always fits


def _number(value):
    return f"{value:,}"


def _hover_text(chart, category, series, value):
    if len(chart.series) > 1:
        return gettext("%(category)s, %(series)s: %(value)s") % {
            "category": category.label,
            "series": series.name,
            "value": _number(value),
        }
    return gettext("%(category)s: %(value)s") % {"category": category.label, "value": _number(value)}


def _aria_label(chart):
    return gettext("%(title)s. Bar chart, %(count)s in all; the numbers are in the table below.") % {
        "title": chart.title,
        "count": _number(chart.total),
    }


def _axis(top, step, plot_height):
    """Horizontal grid lines and the value labels on the left."""
    parts = []
    for tick in range(0, top + 1, step):
        y = MARGIN_TOP + plot_height - plot_height * tick / top
        parts.append(
            f'<line class="chart__grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d9dee5" stroke-width="1"/>'
            f'<text class="chart__tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="#5f6b7a">{escape(_number(tick))}</text>'
        )
    return parts


def _category_labels(chart, slot, base_y):
    parts = []
    for index, category in enumerate(chart.categories):
        x = MARGIN_LEFT + slot * (index + 0.5)
        parts.append(
            f'<text class="chart__label" x="{x:.1f}" y="{base_y + 18}" text-anchor="middle" '
            f'font-size="{FONT_SIZE}" fill="#1f2933">{escape(category.axis_label)}</text>'
        )
        if category.note:
            parts.append(
                f'<text class="chart__note" x="{x:.1f}" y="{base_y + 36}" text-anchor="middle" '
                f'font-size="{FONT_SIZE - 1}" fill="#5f6b7a">{escape(category.note)}</text>'
            )
    return parts


def _bar(x, y, width, height, colour, hover):
    return (
        f'<rect class="chart__bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="0.5"><title>{escape(hover)}</title></rect>'
    )


def _bars(chart, top, slot, plot_height):
    """One column per category: the series stacked, or side by side."""
    base_y = MARGIN_TOP + plot_height
    bar_room = slot * 0.7
    parts = []
    for index, category in enumerate(chart.categories):
        left = MARGIN_LEFT + slot * index + (slot - bar_room) / 2
        stacked_height = 0.0
        width = bar_room if chart.stacked else bar_room / max(1, len(chart.series))
        for number, one in enumerate(chart.series):
            value = one.values[index]
            height = plot_height * value / top
            colour = PALETTE[number % len(PALETTE)]
            x = left if chart.stacked else left + width * number
            y = base_y - stacked_height - height if chart.stacked else base_y - height
            if value:
                parts.append(_bar(x, y, width, height, colour, _hover_text(chart, category, one, value)))
            if chart.stacked:
                stacked_height += height
    return parts


def render_svg(chart):
    """The chart as an inline <svg> element (safe to put in a page)."""
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(1, len(chart.categories))
    if chart.stacked:
        highest = max(chart.totals, default=0)
    else:
        highest = max((value for one in chart.series for value in one.values), default=0)
    top, step = nice_ceiling(highest)
    label = _aria_label(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}" '
        f'data-chart="{escape(chart.key)}">',
        f"<title>{escape(chart.title)}</title>",
        *_axis(top, step, plot_height),
        *_bars(chart, top, slot, plot_height),
        f'<line class="chart__baseline" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
        f'y1="{MARGIN_TOP + plot_height}" y2="{MARGIN_TOP + plot_height}" stroke="#5f6b7a" stroke-width="1"/>',
        *_category_labels(chart, slot, MARGIN_TOP + plot_height),
        "</svg>",
    ]
    return mark_safe("".join(parts))


# --- months ----------------------------------------------------------------
# Charts "per month" count the last twelve months in local time (TIME_ZONE),
# the current month included, so the figures match the dates users read.


def months_back(count=12, today=None):
    """The first days of the last `count` months, oldest first."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def month_categories(months):
    """Axis places for months: 3月 under the bar, the year under January
    and under the first month shown; 2026年3月 in the table."""
    return tuple(
        ChartCategory(
            label=date_format(month, "YEAR_MONTH_FORMAT"),
            short=pgettext("month on a chart's axis, e.g. 3 for March", "%(month)d") % {"month": month.month},
            note=str(month.year) if index == 0 or month.month == 1 else "",
        )
        for index, month in enumerate(months)
    )


def month_start(month):
    """Midnight local time on the first day of `month`, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))


def _next_month(month):
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def count_per_month(queryset, field_name, months, *, split=None):
    """{(first day of month, split value or None): count} of the rows of
    `queryset` whose `field_name` falls in `months`; one query. Each month
    is a range between local midnights, counted with a filtered COUNT: the
    database compares values in an index instead of truncating every
    row's time to its month (on SQLite a Python function per row)."""
    bounds = [month_start(month) for month in months] + [month_start(_next_month(months[-1]))]
    counts = {
        f"month_{index}": Count(
            "pk", filter=Q(**{f"{field_name}__gte": bounds[index], f"{field_name}__lt": bounds[index + 1]})
        )
        for index in range(len(months))
    }
    in_range = queryset.filter(**{f"{field_name}__gte": bounds[0], f"{field_name}__lt": bounds[-1]})
    rows = in_range.values(split).annotate(**counts).order_by() if split else [in_range.aggregate(**counts)]
    return {
        (month, row[split] if split else None): row[f"month_{index}"]
        for row in rows
        for index, month in enumerate(months)
    }
