"""What inventory has waiting for the viewer, on the home page's to-do list
(records.todo; registered in InventoryConfig.ready()):

- the archivist: open stocktakes to count and reconcile (R-INV-1), repair
  and copy tasks open and overdue (R-INV-2);
- the department head: write-offs waiting for a decision (R-INV-3).

The differences of an open stocktake are worked out from its scans (not
stored), far from a cheap count: the item links to the stocktake, whose
page shows them."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory import policies, selectors
from inventory.models import Stocktake, StocktakeState
from records.todo import TodoItem, item_if, register_todo


def stocktake_items(request):
    """Open stocktakes: one links to its own page, several to the list."""
    if not policies.may_run_stocktake(request.user):
        return []
    open_pks = list(Stocktake.objects.filter(state=StocktakeState.OPEN).order_by("opened_at", "pk").values_list("pk", flat=True))
    if not open_pks:
        return []
    if len(open_pks) == 1:
        url = reverse("inventory_stocktake_detail", args=[open_pks[0]])
    else:
        url = reverse("inventory_stocktakes")
    return [TodoItem(_("Stocktakes open, to count and reconcile"), len(open_pks), url)]


def repair_items(request):
    """Repair and copy tasks past their due date, then the others open."""
    user = request.user
    if not policies.may_do_repair(user):
        return []
    today = timezone.localdate()
    tasks = selectors.open_repair_tasks(user)
    url = reverse("inventory_repairs")
    return [
        *item_if(True, _("Repair and copy tasks overdue"), tasks.filter(due_on__lt=today), url, tone="danger"),
        *item_if(True, _("Repair and copy tasks due"), tasks.filter(due_on__gte=today), url),
    ]


def write_off_items(request):
    """Write-offs the viewer may decide: not their own requests (R-INV-3)."""
    user = request.user
    if not (policies.may_decide_write_offs(user) and policies.may_view(user)):
        return []
    return item_if(
        True,
        _("Write-offs waiting for your decision"),
        selectors.pending_write_offs(user).exclude(requested_by=user),
        reverse("inventory_write_offs"),
    )


def register_todos():
    register_todo("inventory.stocktakes", stocktake_items, order=40)
    register_todo("inventory.repairs", repair_items, order=42)
    register_todo("inventory.write_offs", write_off_items, order=44)
