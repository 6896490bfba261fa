"""Charts other apps add to the statistics page and the home page.

Like records.panels: records imports none of the apps built on it, so an
app registers a function that returns its chart (core.charts.Chart) in its
AppConfig.ready(); the statistics page draws every registered chart that
returns one, in order, and the home page's chart panel those registered
with `home=True`.

    register_chart("lending.loans_per_month", loans_per_month, order=30, home=True)

`function(request)` returns a Chart or None (nothing to show to this user).
Each chart reads its numbers with one query. Records registers its own
charts here too: holdings by class and year, records filed per month, and
retention ending in the next five years (R-DISP-2)."""
import datetime
from dataclasses import dataclass
from typing import Callable

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import Chart, ChartCategory, ChartSeries, count_per_month, month_categories, months_back
from records.models import Record, RecordStatus
from records.models.category import ScopeClass
from records.panels import register_home_panel
from records.policies import may_view_statistics
from records.selectors import visible_records

# Holdings by year: this many years one by one, older ones in one column.
HOLDINGS_YEARS = 10
# Retention ending "soon": this year and the four after it (R-DISP-2).
RETENTION_YEARS_AHEAD = 5


@dataclass(frozen=True)
class RegisteredChart:
    key: str
    function: Callable
    order: int = 100
    home: bool = False


_charts = {}


def register_chart(key, function, order=100, *, home=False):
    """Add (or replace: ready() may run more than once) the chart `key`.
    Lower `order` comes first; `home` also shows it in the home panel."""
    _charts[key] = RegisteredChart(key, function, order, home)


def unregister_chart(key):
    _charts.pop(key, None)


def charts(request, *, home=False):
    """The charts that have something to show to `request.user`, in order;
    with `home`, only those registered for the home page."""
    shown = []
    for entry in sorted(_charts.values(), key=lambda entry: (entry.order, entry.key)):
        if home and not entry.home:
            continue
        chart = entry.function(request)
        if chart is not None:
            shown.append(chart)
    return shown


# --- records' own charts -----------------------------------------------------


def _on_the_books(request):
    return visible_records(request.user).filter(status__in=RecordStatus.on_the_books())


def holdings_by_class_and_year(request):
    """Records on the books (filed, on loan, missing), per year and class
    (R-SCOPE): the last ten years with holdings one by one, older ones
    together as 更早."""
    rows = list(_on_the_books(request).values("year", "category__scope").annotate(count=Count("pk")).order_by())
    years = sorted({row["year"] for row in rows})
    shown_years = years[-HOLDINGS_YEARS:]
    earlier = len(years) > HOLDINGS_YEARS
    columns = (["earlier"] if earlier else []) + shown_years
    counts = {}
    for row in rows:
        column = row["year"] if row["year"] in shown_years else "earlier"
        counts[(column, row["category__scope"])] = counts.get((column, row["category__scope"]), 0) + row["count"]
    series = tuple(
        ChartSeries(str(label), tuple(counts.get((column, scope), 0) for column in columns))
        for scope, label in ScopeClass.choices
        if any(counts.get((column, scope)) for column in columns)
    )
    categories = tuple(
        ChartCategory(_("Earlier") if column == "earlier" else str(column)) for column in columns
    )
    return Chart(
        key="records.holdings",
        title=_("Holdings by class and year"),
        description=_("Records on the shelf, out on loan or missing, by the year they belong to."),
        category_heading=_("Year"),
        categories=categories,
        series=series or (ChartSeries(_("Records"), tuple(0 for _column in columns)),),
        link=reverse("record_list"),
        link_label=_("Search the records"),
    )


def intake_per_month(request):
    """Records filed per month over the last twelve months (filed_at)."""
    months = months_back(12)
    counts = count_per_month(visible_records(request.user).filter(filed_at__isnull=False), "filed_at", months)
    return Chart(
        key="records.intake",
        title=_("Records filed per month"),
        description=_("Records received and filed in each of the last twelve months."),
        category_heading=_("Month"),
        categories=month_categories(months),
        series=(ChartSeries(_("Records filed"), tuple(counts.get((month, None), 0) for month in months)),),
    )


def retention_ending(request):
    """Records on the books whose retention ends in each of the next five
    years, and those whose retention has already ended (they wait for the
    year-end appraisal, R-DISP-2). Permanent records have no end."""
    this_year = timezone.localdate().year
    years = range(this_year, this_year + RETENTION_YEARS_AHEAD)
    # Ranges of dates, not the year of each row's date: the database
    # compares values in the retention index (R-DISP-2).
    buckets = {"ended": Q(retention_expires_on__lt=datetime.date(this_year, 1, 1))} | {
        str(year): Q(retention_expires_on__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
        for year in years
    }
    counts = (
        _on_the_books(request)
        .filter(retention_expires_on__lte=datetime.date(years[-1], 12, 31))
        .aggregate(**{f"ends_{key}": Count("pk", filter=condition) for key, condition in buckets.items()})
    )
    categories = (ChartCategory(_("Already ended")),) + tuple(ChartCategory(str(year)) for year in years)
    return Chart(
        key="records.retention",
        title=_("Retention ending in the next five years"),
        description=_(
            "Records on the books whose retention period ends in each year; permanent records are not counted."
        ),
        category_heading=_("Retention ends in"),
        categories=categories,
        series=(ChartSeries(_("Records"), tuple(counts[f"ends_{key}"] for key in buckets)),),
    )


def _records_chart(function):
    """Records' charts are for those who may read the statistics."""

    def chart(request):
        return function(request) if may_view_statistics(request.user) else None

    return chart


def charts_panel(request):
    """The home page's summary: the charts registered for it and a link to
    the statistics page, for those who may read statistics."""
    if not may_view_statistics(request.user):
        return None
    shown = charts(request, home=True)
    if not shown:
        return None
    return {"charts": shown, "url": reverse("statistics")}


def register_record_charts():
    """Records' charts and the home panel (RecordsConfig.ready())."""
    register_chart("records.holdings", _records_chart(holdings_by_class_and_year), order=10)
    register_chart("records.intake", _records_chart(intake_per_month), order=20, home=True)
    register_chart("records.retention", _records_chart(retention_ending), order=50)
    register_home_panel("records/_charts_panel.html", charts_panel, order=20)
