"""The statistics page: every registered chart (records.charts) with its
numbers as a table, for the archivist, the department head and leadership
(records.policies.may_view_statistics)."""
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.views import gate
from records.charts import charts
from records.policies import may_view_statistics


@require_safe
def statistics(request):
    gate(may_view_statistics(request.user))
    return render(request, "records/statistics.html", {"charts": charts(request)})
