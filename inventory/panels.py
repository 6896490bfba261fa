"""What the inventory app shows on other apps' pages (registered with
records.panels in InventoryConfig.ready(); records never imports
inventory):

- the record page: its open repair and copy tasks (R-INV-2), its
  write-offs (R-INV-3), its differences in open stocktakes (R-INV-1), and
  the archivist's ways in: open a task, request a write-off, file it again
  if it was missing and turned up. Only for the archivist and the head
  (policies.may_view / may_do_repair); records.views checked that the user
  may see the record at all.
- the home page: for the archivist, open and overdue tasks and the open
  stocktakes with their progress; for the department head, the write-offs
  waiting for a decision. A fixed number of queries whatever the number of
  tasks, stocktakes or write-offs."""
from django.db.models import Count, Q
from django.utils import timezone

from inventory import policies, selectors
from inventory.models import (
    Expected,
    ExpectedStatus,
    Scan,
    ScanOutcome,
    Stocktake,
    StocktakeState,
    StocktakeUnit,
    WriteOff,
    WriteOffState,
)
from inventory.services.repairs import REPAIRABLE_STATES
from records.models import RecordStatus
from records.services.inventory import WRITABLE_OFF_STATES

# Tasks, stocktakes and write-offs the home panel names; beyond, a count.
HOME_LIMIT = 5


def _open_stocktakes_of(record):
    """Open stocktakes that expect the record in one of their boxes or counted it."""
    # Two indexed subqueries on the record, not joins through every row of the stocktake.
    expected_in = Expected.objects.filter(record=record).values("unit__stocktake_id")
    counted_in = Scan.objects.filter(record=record).values("stocktake_id")
    return Stocktake.objects.filter(
        Q(pk__in=expected_in) | Q(pk__in=counted_in), state=StocktakeState.OPEN
    ).order_by("opened_at", "pk")


def _differences(record):
    """[(stocktake, [FoundDifference])] of the open stocktakes that find one."""
    found = []
    for stocktake in _open_stocktakes_of(record):
        differences = selectors.differences_of_record(stocktake, record)
        if differences:
            found.append({"stocktake": stocktake, "differences": differences})
    return found


def _actions(user, record, write_offs):
    """What the archivist may start from the record page."""
    pending = any(write_off.state == WriteOffState.REQUESTED for write_off in write_offs)
    return {
        "repair": policies.may_do_repair(user) and record.status in REPAIRABLE_STATES,
        "write_off": policies.may_request_write_off(user) and record.status in WRITABLE_OFF_STATES and not pending,
        "restore": policies.may_run_stocktake(user) and record.status == RecordStatus.MISSING,
    }


def record_panel(request, record):
    """Context of templates/inventory/_record_panel.html, or None for those
    who may not see it or when there is nothing to show or do."""
    user = request.user
    if not (policies.may_view(user) or policies.may_do_repair(user)):
        return None
    tasks = list(selectors.open_repair_tasks(user, record))
    write_offs = list(WriteOff.objects.filter(record=record).select_related("requested_by").order_by("-requested_at", "-pk"))
    differences = _differences(record)
    actions = _actions(user, record, write_offs)
    if not (tasks or write_offs or differences or any(actions.values())):
        return None
    return {
        "tasks": tasks,
        "write_offs": write_offs,
        "differences": differences,
        "actions": actions,
        "may_do": policies.may_do_repair(user),
        "today": timezone.localdate(),
    }


def _section(queryset):
    rows = list(queryset[:HOME_LIMIT])
    return {"rows": rows, "count": queryset.count() if len(rows) == HOME_LIMIT else len(rows)}


def _stocktake_progress(stocktakes):
    """Each open stocktake with counted / expected over all its boxes, in
    two grouped queries."""
    pks = [stocktake.pk for stocktake in stocktakes]
    expected = dict(
        StocktakeUnit.objects.filter(stocktake_id__in=pks, expected__status_at_opening=ExpectedStatus.ON_SHELF)
        .values_list("stocktake_id")
        .annotate(n=Count("expected"))
        .order_by()
    )
    counted = dict(
        Scan.objects.filter(stocktake_id__in=pks, outcome__in=ScanOutcome.counting(), record__isnull=False)
        .values_list("stocktake_id")
        .annotate(n=Count("record", distinct=True))
        .order_by()
    )
    return [
        {"stocktake": stocktake, "counted": counted.get(stocktake.pk, 0), "expected": expected.get(stocktake.pk, 0)}
        for stocktake in stocktakes
    ]


def _archivist_sections(user, today):
    open_tasks = selectors.open_repair_tasks(user)
    stocktakes = list(Stocktake.objects.filter(state=StocktakeState.OPEN).order_by("opened_at", "pk")[:HOME_LIMIT])
    return {
        "tasks": _section(open_tasks),
        "overdue_count": selectors.overdue_repair_tasks(user, today).count(),
        "stocktakes": _stocktake_progress(stocktakes),
    }


def home_panel(request):
    """Context of templates/inventory/_home_panel.html, or None when
    nothing waits for the viewer."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today}
    if policies.may_do_repair(user):
        context.update(_archivist_sections(user, today))
    if policies.may_decide_write_offs(user):
        context["write_offs"] = _section(selectors.pending_write_offs(user))
    shown = (
        context.get("tasks", {}).get("count")
        or context.get("stocktakes")
        or context.get("write_offs", {}).get("count")
    )
    return context if shown else None
