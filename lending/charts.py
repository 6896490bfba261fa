"""Lending's charts on the statistics page and the home page (registered in
records.charts, whose registry records owns): loans handed out per month,
by kind, and the loans overdue now, by how long (R-LEND-2, R-LEND-5)."""
import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import Chart, ChartCategory, ChartSeries, count_per_month, month_categories, months_back
from lending.models import Loan, RequestKind
from lending.policies import may_handle
from records.charts import register_chart
from records.policies import may_view_statistics

# How long overdue: up to a week, up to a month, longer (days).
OVERDUE_BANDS = (7, 30)


def loans_per_month(request):
    """Loans handed out (Loan.out_at) in each of the last twelve months,
    viewing in place and borrowing stacked."""
    if not may_view_statistics(request.user):
        return None
    months = months_back(12)
    counts = count_per_month(Loan.objects.all(), "out_at", months, split="request__kind")
    return Chart(
        key="lending.loans_per_month",
        title=_("Loans per month"),
        description=_("Records handed out in each of the last twelve months."),
        category_heading=_("Month"),
        categories=month_categories(months),
        series=tuple(
            ChartSeries(str(label), tuple(counts.get((month, kind), 0) for month in months))
            for kind, label in RequestKind.choices
        ),
    )


def overdue_now(request):
    """Loans out past their due time now, by how long they are overdue."""
    if not may_view_statistics(request.user):
        return None
    now = timezone.now()
    week, month = (now - datetime.timedelta(days=days) for days in OVERDUE_BANDS)
    counts = Loan.objects.filter(returned_at__isnull=True, due_at__lt=now).aggregate(
        week=Count("pk", filter=Q(due_at__gte=week)),
        month=Count("pk", filter=Q(due_at__lt=week, due_at__gte=month)),
        longer=Count("pk", filter=Q(due_at__lt=month)),
    )
    return Chart(
        key="lending.overdue",
        title=_("Loans overdue now"),
        description=_("Records not back by their due time, by how long they are overdue."),
        category_heading=_("Overdue by"),
        categories=(
            ChartCategory(_("Up to a week")),
            ChartCategory(_("A week to a month")),
            ChartCategory(_("More than a month")),
        ),
        series=(ChartSeries(_("Loans"), (counts["week"], counts["month"], counts["longer"])),),
        # Only the archivist works the desk (lending.policies.may_handle).
        link=reverse("lending_desk") + "#overdue" if may_handle(request.user) else "",
        link_label=_("Open the overdue loans"),
    )


def register_lending_charts():
    """LendingConfig.ready()."""
    register_chart("lending.loans_per_month", loans_per_month, order=30)
    register_chart("lending.overdue", overdue_now, order=40, home=True)
