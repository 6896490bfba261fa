"""Repair and copy tasks (R-INV-2) and restoring a missing record that
turned up (issue 13 point 5).

- inventory_repairs: open tasks, overdue first then by due date, and the
  done ones in a second tab; filtered open / overdue / done; only tasks of
  records the reader may see (inventory.selectors).
- inventory_repair_new: the archivist opens a task of a record (?record=
  fills its archive number): repair_task_open.
- inventory_repair_done: done with a note; a copy task says how many
  copies were made and raises the record's copy count (repair_task_done).
- inventory_record_restore: a record MISSING per the register is filed
  again with a reason, in its own box or another
  (records.services.record_restore_found).

Views stay thin: gate, form, service, refusal to the form or a message
(core.views)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from inventory import policies, services
from inventory.exceptions import InventoryRefused
from inventory.forms_repairs import RepairDoneForm, RepairOpenForm, RestoreForm, is_missing
from inventory.models import RepairState, RepairTask
from records.exceptions import RecordActionRefused
from records.paging import page_of
from records.selectors import visibility_condition, visible_records
from records.services import record_restore_found

GET_OR_POST = ["GET", "HEAD", "POST"]
SHOW_OPEN, SHOW_OVERDUE, SHOW_DONE = "open", "overdue", "done"
SHOWS = (SHOW_OPEN, SHOW_OVERDUE, SHOW_DONE)


def visible_tasks(user):
    """Repair and copy tasks of the records `user` may see (R-ACCESS)."""
    condition = visibility_condition(user, through="record__")
    if condition is None:
        return RepairTask.objects.none()
    return RepairTask.objects.filter(condition)


def _tasks_shown(user, show, today):
    tasks = visible_tasks(user).select_related("record", "opened_by", "done_by")
    if show == SHOW_DONE:
        return tasks.filter(state=RepairState.DONE).order_by("-done_at", "-pk")
    tasks = tasks.filter(state=RepairState.OPEN)
    if show == SHOW_OVERDUE:
        tasks = tasks.filter(due_on__lt=today)
    # Soonest due first: the overdue ones come before the rest.
    return tasks.order_by("due_on", "pk")


@require_safe
def repair_list(request):
    """Open tasks (overdue first, then by due date) or the done ones, 20 a page."""
    user = request.user
    gate(policies.may_see_repairs(user))
    show = request.GET.get("show")
    show = show if show in SHOWS else SHOW_OPEN
    today = timezone.localdate()
    page = page_of(request, _tasks_shown(user, show, today))
    return render(
        request,
        "inventory/repair_list.html",
        {
            "show": show,
            "page_obj": page,
            "tasks": list(page.object_list),
            "today": today,
            "may_do": policies.may_do_repair(user),
        },
    )


def _record_asked(request):
    """The record named by ?record= if the user may see it, else None."""
    pk = request.GET.get("record", "")
    if not pk.isdigit():
        return None
    return visible_records(request.user).filter(pk=int(pk)).first()


@require_http_methods(GET_OR_POST)
def repair_new(request):
    """Open a repair or copy task of a damaged or decaying item (R-INV-2)."""
    user = request.user
    gate(policies.may_do_repair(user))
    if request.method != "POST":
        record = _record_asked(request)
        initial = {"archive_number": record.archive_number} if record is not None else {}
        form = RepairOpenForm(initial=initial, user=user)
        return render(request, "inventory/repair_new.html", {"form": form, "record": record})
    form = RepairOpenForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = services.repair_task_open(
                record=form.record, kind=data["kind"], due_on=data["due_on"], note=data["note"], by=user
            )
        except InventoryRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("%(task)s of %(record)s is open, due on %(date)s.")
                % {"task": task.get_kind_display(), "record": task.record.archive_number, "date": task.due_on.isoformat()},
            )
            return redirect("inventory_repairs")
    return render(request, "inventory/repair_new.html", {"form": form, "record": form.record})


def _done_message(task):
    if task.copies_made:
        return ngettext(
            "The task of %(record)s is done: %(count)d copy added.",
            "The task of %(record)s is done: %(count)d copies added.",
            task.copies_made,
        ) % {"record": task.record.archive_number, "count": task.copies_made}
    return _("The task of %(record)s is done.") % {"record": task.record.archive_number}


@require_http_methods(GET_OR_POST)
def repair_done(request, pk):
    """Mark a task done with a note; a copy task raises the copy count (R-INV-2)."""
    user = request.user
    gate(policies.may_do_repair(user))
    task = get_object_or_404(visible_tasks(user).select_related("record", "opened_by", "done_by"), pk=pk)
    posted = request.POST if request.method == "POST" and task.state == RepairState.OPEN else None
    form = RepairDoneForm(posted, task=task)
    if posted is not None and form.is_valid():
        try:
            task = services.repair_task_done(
                task=task, by=user, note=form.cleaned_data["done_note"], copies=form.cleaned_data.get("copies", 0)
            )
        except InventoryRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _done_message(task))
            return redirect("inventory_repairs")
    return render(
        request, "inventory/repair_done.html", {"task": task, "form": form, "today": timezone.localdate()}
    )


@require_http_methods(GET_OR_POST)
def record_restore(request, pk):
    """File again a record missing per the register that turned up, with a
    reason (and its box if not its own): records.services.record_restore_found."""
    user = request.user
    gate(policies.may_run_stocktake(user))
    record = get_object_or_404(visible_records(user).select_related("location", "category"), pk=pk)
    form = RestoreForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record_restore_found(
                record=record, reason=form.cleaned_data["reason"], location=form.cleaned_data["location"], by=user
            )
        except RecordActionRefused as refusal:
            if refusal.field not in form.fields:
                refusal_to_message(request, refusal)
                return redirect("record_detail", pk=record.pk)
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("%(record)s is filed again.") % {"record": record.archive_number})
            return redirect("record_detail", pk=record.pk)
    return render(
        request, "inventory/repair_restore.html", {"record": record, "form": form, "missing": is_missing(record)}
    )
