"""Charts (core.charts, records.charts, lending.charts): the SVG is XML a
browser and a screen reader can read, every text escaped; the registry; and
every chart's numbers equal the database's counts."""
import datetime
import itertools
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from core.charts import (
    Chart,
    ChartCategory,
    ChartSeries,
    month_categories,
    months_back,
    nice_ceiling,
    render_svg,
)
from lending.charts import loans_per_month, overdue_now
from lending.models import Loan, LoanRequest, RequestKind, RequestState
from records import charts as registry
from records.charts import holdings_by_class_and_year, intake_per_month, retention_ending
from records.models import Record, RecordStatus, SecurityLevel
from tests.factories import category, marketing_department
from tests.query_counts import count_queries

SVG = "{http://www.w3.org/2000/svg}"
_numbers = itertools.count(1)


def _parse(chart):
    return ET.fromstring(str(render_svg(chart)))


def _bars(svg):
    return svg.findall(f".//{SVG}rect")


def _chart(**kwargs):
    defaults = {
        "key": "test",
        "title": "Test",
        "categories": (ChartCategory("2025"), ChartCategory("2026")),
        "series": (ChartSeries("A", (3, 0)), ChartSeries("B", (1, 4))),
    }
    return Chart(**{**defaults, **kwargs})


# --- drawing -------------------------------------------------------------------


def test_svg_is_xml_with_a_label_and_a_hover_number_per_bar():
    with translation.override("zh-hans"):
        svg = _parse(_chart())
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert "8" in svg.get("aria-label")  # the total
    assert svg.find(f"{SVG}title").text == "Test"
    hovers = [bar.find(f"{SVG}title").text for bar in _bars(svg)]
    # A bar per non-zero value, each naming its category, series and number
    # (in the reader's language: the site's default is Chinese).
    assert hovers == ["2025，A：3", "2025，B：1", "2026，B：4"]


def test_every_text_is_escaped():
    nasty = '<script>alert("x")</script> & \' "'
    chart = _chart(
        title=nasty,
        categories=(ChartCategory(nasty, short=nasty, note=nasty), ChartCategory("2026")),
        series=(ChartSeries(nasty, (2, 1)), ChartSeries("B", (0, 1))),
    )
    svg = _parse(chart)  # parses: nothing broke out of its element or attribute
    assert svg.find(f"{SVG}title").text == nasty
    assert "<script>" not in str(render_svg(chart))
    assert nasty in [text.text for text in svg.iter(f"{SVG}text")]
    assert svg.find(f".//{SVG}rect/{SVG}title").text.startswith(nasty)


def test_stacked_bars_share_a_column_and_heights_follow_the_values():
    svg = _parse(_chart())
    first_a, first_b, second_b = _bars(svg)
    assert first_a.get("x") == first_b.get("x")
    # 3 and 1 stacked: A three times as tall as B, B on top of A.
    assert float(first_a.get("height")) == pytest.approx(3 * float(first_b.get("height")))
    assert float(first_b.get("y")) + float(first_b.get("height")) == pytest.approx(float(first_a.get("y")))
    assert float(second_b.get("height")) == pytest.approx(4 * float(first_b.get("height")))


def test_grouped_bars_stand_side_by_side():
    svg = _parse(_chart(stacked=False))
    first_a, first_b, _second_b = _bars(svg)
    assert float(first_b.get("x")) > float(first_a.get("x"))
    assert float(first_a.get("y")) + float(first_a.get("height")) == pytest.approx(
        float(first_b.get("y")) + float(first_b.get("height"))
    )


def test_series_must_have_a_value_per_category():
    with pytest.raises(ValueError):
        _chart(series=(ChartSeries("A", (1,)),))


@pytest.mark.parametrize(
    "highest, top, step",
    [(0, 4, 1), (1, 4, 1), (4, 4, 1), (5, 8, 2), (9, 20, 5), (37, 40, 10), (1234, 2000, 500)],
)
def test_value_axis_ends_on_a_round_number(highest, top, step):
    assert nice_ceiling(highest) == (top, step)


def test_table_rows_and_totals():
    chart = _chart()
    assert chart.rows == [("2025", [3, 1], 4), ("2026", [0, 4], 4)]
    assert chart.total == 8
    assert [one.total for one in chart.series] == [3, 5]


def test_months_back_crosses_the_year_and_labels_january_with_its_year():
    months = months_back(4, today=datetime.date(2026, 2, 15))
    assert months == [datetime.date(year, month, 1) for year, month in [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]]
    notes = [category.note for category in month_categories(months)]
    assert notes == ["2025", "", "2026", ""]
    assert month_categories(months)[2].label == "2026年1月"


# --- building rows -----------------------------------------------------------------


def _record(year=2024, code="HTDL", status=RecordStatus.FILED, filed_at=None, retention_years=30):
    number = next(_numbers)
    filed = status not in RecordStatus.before_filing()
    record = Record(
        archive_number=f"CH-{number:06d}" if filed else None,
        title=f"图表档案{number}",
        category=category(code),
        year=year,
        security_level=SecurityLevel.INTERNAL,
        retention_years=retention_years,
        status=status,
        department=marketing_department(),
        filed_at=filed_at if filed_at is not None else (timezone.now() if filed else None),
    )
    record.retention_expires_on = record.compute_retention_expiry()
    return record


def _insert(records):
    return Record.objects.bulk_create(records)


def _request_for(user):
    request = RequestFactory().get("/statistics/")
    request.user = user
    return request


def months_start(chart):
    """Midnight local time on the first day of the chart's first month."""
    first = months_back(len(chart.categories))[0]
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


# --- records' charts compared with the database ---------------------------------


@pytest.mark.django_db
def test_holdings_count_records_on_the_books_by_year_and_class(archivist):
    _insert(
        [_record(2024, "HTDL") for _ in range(3)]
        + [_record(2024, "KHDL", RecordStatus.ON_LOAN), _record(2024, "XCZH", RecordStatus.MISSING)]
        + [_record(2025, "NBHY") for _ in range(2)]
        # Not on the books: not counted.
        + [_record(2025, "HTDL", RecordStatus.DESTROYED), _record(2025, "HTDL", RecordStatus.SUBMITTED)]
    )
    chart = holdings_by_class_and_year(_request_for(archivist))
    expected = Counter(
        Record.objects.filter(status__in=RecordStatus.on_the_books()).values_list("year", "category__scope")
    )
    drawn = {
        (int(category.label), one.name): one.values[index]
        for index, category in enumerate(chart.categories)
        for one in chart.series
        if one.values[index]
    }
    assert sum(drawn.values()) == sum(expected.values()) == 7
    assert [category.label for category in chart.categories] == ["2024", "2025"]
    # One series per class that has holdings, in the file plan's order.
    assert len(chart.series) == 4
    assert chart.totals == (5, 2)
    by_scope = dict(zip(["contract", "client", "internal", "publicity"], chart.series))
    assert by_scope["contract"].values == (expected[(2024, "contract")], expected[(2025, "contract")]) == (3, 0)
    assert by_scope["internal"].values == (0, 2)


@pytest.mark.django_db
def test_holdings_show_ten_years_and_the_older_ones_together(archivist):
    _insert([_record(year) for year in range(2010, 2026)] + [_record(2010)])
    chart = holdings_by_class_and_year(_request_for(archivist))
    labels = [category.label for category in chart.categories]
    assert labels[1:] == [str(year) for year in range(2016, 2026)]
    assert chart.totals[0] == Record.objects.filter(year__lt=2016).count() == 7
    assert chart.total == Record.objects.count()


@pytest.mark.django_db
def test_intake_counts_records_filed_per_local_month(archivist, settings):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    # Filed at 01:00 local time on the first of this month: in UTC it is the
    # month before, and the chart must still put it in this month.
    first_thing = timezone.make_aware(datetime.datetime.combine(this_month, datetime.time(1, 0)))
    thirteen_months_ago = timezone.now() - datetime.timedelta(days=400)
    _insert(
        [_record(filed_at=first_thing) for _ in range(2)]
        + [_record(filed_at=thirteen_months_ago)]
        + [_record(status=RecordStatus.SUBMITTED)]
    )
    chart = intake_per_month(_request_for(archivist))
    assert len(chart.categories) == 12
    values = chart.series[0].values
    assert values[-1] == 2
    assert sum(values) == Record.objects.filter(filed_at__gte=months_start(chart)).count() == 2


@pytest.mark.django_db
def test_retention_ending_counts_per_year_and_what_already_ended(archivist):
    this_year = timezone.localdate().year
    _insert(
        [_record(year=this_year - 10, retention_years=10)]  # ends this year
        + [_record(year=this_year - 10, retention_years=12) for _ in range(2)]  # in two years
        + [_record(year=this_year - 30, retention_years=10)]  # already ended
        + [_record(year=this_year - 10, retention_years=30)]  # far off
        + [_record(year=this_year - 10, retention_years=None)]  # permanent
        + [_record(year=this_year - 10, retention_years=10, status=RecordStatus.DESTROYED)]  # gone
    )
    chart = retention_ending(_request_for(archivist))
    values = chart.series[0].values
    assert [category.label for category in chart.categories][1:] == [str(this_year + n) for n in range(5)]
    assert values == (1, 1, 0, 2, 0, 0)
    on_books = Record.objects.filter(status__in=RecordStatus.on_the_books())
    assert values[1] == on_books.filter(retention_expires_on__year=this_year).count()
    assert values[0] == on_books.filter(retention_expires_on__year__lt=this_year).count()


# --- lending's charts ----------------------------------------------------------------


def _loans(specs, *, borrower, by):
    """Loans from (kind, out_at, due_at, returned_at), each on its own record."""
    records = _insert([_record(status=RecordStatus.ON_LOAN) for _ in specs])
    requests = LoanRequest.objects.bulk_create(
        [
            LoanRequest(requester=borrower, record=record, kind=kind, purpose="图表", days=2, state=RequestState.DONE)
            for record, (kind, *_times) in zip(records, specs)
        ]
    )
    return Loan.objects.bulk_create(
        [
            Loan(
                request=request,
                record=request.record,
                borrower=borrower,
                handed_out_by=by,
                out_at=out_at,
                due_at=due_at,
                returned_at=returned_at,
            )
            for request, (_kind, out_at, due_at, returned_at) in zip(requests, specs)
        ]
    )


@pytest.mark.django_db
def test_loans_per_month_and_overdue_equal_the_database(archivist, staff):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    _loans(
        [
            (RequestKind.BORROW, now - day, now - 0.5 * day, None),  # overdue half a day
            (RequestKind.BORROW, now - 12 * day, now - 10 * day, None),  # ten days
            (RequestKind.BORROW, now - 50 * day, now - 40 * day, None),  # forty days
            (RequestKind.VIEW, now - 3 * day, now - 2 * day, now - 2 * day),  # back
            (RequestKind.BORROW, now, now + 2 * day, None),  # not due yet
            (RequestKind.BORROW, now - 500 * day, now - 498 * day, now - 498 * day),  # too long ago
        ],
        borrower=staff,
        by=archivist,
    )
    request = _request_for(archivist)
    overdue = overdue_now(request)
    assert overdue.series[0].values == (1, 1, 1)
    assert overdue.total == Loan.objects.filter(returned_at__isnull=True, due_at__lt=now).count()
    per_month = loans_per_month(request)
    assert per_month.total == Loan.objects.filter(out_at__gte=now - 340 * day).count() == 5
    kinds = {one.name: one.total for one in per_month.series}
    assert sorted(kinds.values()) == [1, 4]


# --- the registry ------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_orders_skips_none_and_filters_home(archivist):
    saved = dict(registry._charts)
    try:
        registry._charts.clear()
        registry.register_chart("b", lambda request: _chart(key="b"), order=20, home=True)
        registry.register_chart("a", lambda request: _chart(key="a"), order=10)
        registry.register_chart("none", lambda request: None, order=5, home=True)
        request = _request_for(archivist)
        assert [chart.key for chart in registry.charts(request)] == ["a", "b"]
        assert [chart.key for chart in registry.charts(request, home=True)] == ["b"]
        registry.unregister_chart("b")
        assert [chart.key for chart in registry.charts(request)] == ["a"]
    finally:
        registry._charts.clear()
        registry._charts.update(saved)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 1000])
def test_each_chart_reads_its_numbers_with_one_query(archivist, staff, rows):
    now = timezone.now()
    _insert([_record(2000 + index % 20, filed_at=now - datetime.timedelta(days=index % 300)) for index in range(rows)])
    _loans([(RequestKind.BORROW, timezone.now(), timezone.now(), None)] * 3, borrower=staff, by=archivist)
    request = _request_for(archivist)
    registry.charts(request)  # the user's permissions, read once per request
    for entry in registry._charts.values():
        with count_queries() as counted:
            chart = entry.function(request)
        assert chart is not None
        assert counted.total == 1, (entry.key, counted.statements)


@pytest.mark.django_db
def test_staff_get_no_charts(staff):
    assert registry.charts(_request_for(staff)) == []
