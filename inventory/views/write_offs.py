"""Write-offs (核销, R-INV-3): the list (pending first), the request with
its evidence files, a write-off's page, and the department head's approval
or refusal, each behind a confirmation. Evidence files are the record's
own attachments, stored by records.attachments.add_attachment under the
same upload rules as every file of the archive; the services are
inventory.services.write_off_request / _approve / _refuse."""
from django.contrib import messages
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from inventory import policies
from inventory.exceptions import InventoryRefused
from inventory.forms_write_offs import RefuseForm, WriteOffFilterForm, WriteOffRequestForm
from inventory.models import Stocktake, StocktakeState, WriteOff, WriteOffState
from inventory.services import write_off_approve, write_off_refuse, write_off_request
from records.access_log import log_access_many
from records.attachments import AttachmentRefused, add_attachment
from records.models import AccessAction
from records.paging import page_of
from records.selectors import visibility_condition, visible_records

GET_OR_POST = ["GET", "HEAD", "POST"]


def _visible(user):
    """Write-offs of records `user` may see."""
    condition = visibility_condition(user, through="record__")
    if condition is None:
        return WriteOff.objects.none()
    return WriteOff.objects.filter(condition).select_related("record", "stocktake", "requested_by", "decided_by")


def viewable_write_off(request, pk):
    """The write-off of the URL, for those who read stocktakes; 404 when
    its record is one the user may not see."""
    gate(policies.may_view(request.user))
    return get_object_or_404(_visible(request.user), pk=pk)


def _log_listed(request, write_offs):
    log_access_many(
        user=request.user, records=[row.record for row in write_offs], action=AccessAction.LISTED,
        where=f"{_('Write-offs')} · {request.get_full_path()}",
    )


@require_safe
def write_off_list(request):
    """Every write-off of a visible record, those waiting for the head first."""
    gate(policies.may_view(request.user))
    form = WriteOffFilterForm(request.GET or None)
    rows = _visible(request.user)
    state = form.state_filter() if form.is_bound else ""
    if state:
        rows = rows.filter(state=state)
    waiting_first = Case(When(state=WriteOffState.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField())
    page = page_of(request, rows.order_by(waiting_first, "-requested_at", "-pk"))
    write_offs = list(page.object_list)
    _log_listed(request, write_offs)
    return render(request, "inventory/write_off_list.html", {
        "form": form, "page_obj": page, "write_offs": write_offs,
        "may_request": policies.may_request_write_off(request.user),
    })


def _initial(request):
    """The record (?record=, a pk) and stocktake (?stocktake=) a link from
    the reconciliation or a record's page fills in."""
    initial, record_pk, stocktake_pk = {}, request.GET.get("record", ""), request.GET.get("stocktake", "")
    if record_pk.isdigit():
        record = visible_records(request.user).filter(pk=record_pk).first()
        if record is not None:
            initial["archive_number"] = record.archive_number
    if stocktake_pk.isdigit() and Stocktake.objects.filter(pk=stocktake_pk, state=StocktakeState.OPEN).exists():
        initial["stocktake"] = stocktake_pk
    return initial


def _request(request, form):
    """Ask for the write-off and store its evidence in one transaction;
    the write-off, or None with the refusal on the form (nothing saved)."""
    data = form.cleaned_data
    record = visible_records(request.user).filter(archive_number=data["archive_number"]).first()
    if record is None:
        form.add_error("archive_number", _("No record has the archive number %(number)s.") % {
            "number": data["archive_number"]})
        return None
    files = data["evidence"]

    def evidence():
        # The service reads the evidence after it has checked the record
        # (on loan, held, pending): a refused record stores no file at all,
        # and a refusal after a file was stored rolls it back
        # (records.attachments removes a file whose row was not committed).
        for uploaded in files:
            yield add_attachment(record=record, uploaded_file=uploaded, by=request.user).attachment

    try:
        with transaction.atomic():
            return write_off_request(
                record=record, kind=data["kind"], reason=data["reason"], evidence=evidence(),
                by=request.user, stocktake=data["stocktake"],
            )
    except AttachmentRefused as refusal:
        message = refusal.message if len(files) == 1 else " ".join([refusal.message, _("None of the files was saved.")])
        form.add_error("evidence", message)
    except InventoryRefused as refusal:
        refusal_to_form(form, refusal)
    return None


@require_http_methods(GET_OR_POST)
def write_off_new(request):
    """Ask for a record to be struck off (R-INV-3); the head decides."""
    gate(policies.may_request_write_off(request.user))
    if request.method == "POST":
        form = WriteOffRequestForm(request.POST, request.FILES)
        write_off = _request(request, form) if form.is_valid() else None
        if write_off is not None:
            messages.success(request, _("The write-off of %(record)s waits for the department head.") % {
                "record": write_off.record.archive_number})
            return redirect("inventory_write_off_detail", write_off.pk)
    else:
        form = WriteOffRequestForm(initial=_initial(request))
    return render(request, "inventory/write_off_new.html", {"form": form})


@require_safe
def write_off_detail(request, pk):
    write_off = viewable_write_off(request, pk)
    _log_listed(request, [write_off])
    return render(request, "inventory/write_off_detail.html", {
        "write_off": write_off,
        "evidence": list(write_off.evidence.order_by("pk")),
        "may_decide": write_off.state == WriteOffState.REQUESTED
        and policies.may_decide_write_off(request.user, write_off),
    })


def _decidable(request, pk):
    """The write-off, for the department head (403 for everyone else)."""
    gate(policies.may_view(request.user) and policies.may_decide_write_offs(request.user))
    return viewable_write_off(request, pk)


def _not_waiting(request, write_off):
    """On opening the page: the write-off is decided, or is the user's own."""
    if write_off.state == WriteOffState.REQUESTED and policies.may_decide_write_off(request.user, write_off):
        return None
    if write_off.state != WriteOffState.REQUESTED:
        messages.warning(request, _("This write-off is already decided: %(state)s.") % {
            "state": write_off.get_state_display()})
    else:
        messages.warning(request, _("Nobody decides their own write-off request."))
    return redirect("inventory_write_off_detail", write_off.pk)


@require_http_methods(GET_OR_POST)
def write_off_approve_view(request, pk):
    """The head approves after a page saying what follows: the record is
    struck off, its number never given again."""
    write_off = _decidable(request, pk)
    if request.method != "POST":
        return _not_waiting(request, write_off) or render(
            request, "inventory/write_off_approve.html", {"write_off": write_off})
    try:
        write_off_approve(write_off=write_off, by=request.user)
    except InventoryRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("%(record)s is written off.") % {"record": write_off.record.archive_number})
    return redirect("inventory_write_off_detail", write_off.pk)


@require_http_methods(GET_OR_POST)
def write_off_refuse_view(request, pk):
    """The head refuses, saying why; the record stays as it is."""
    write_off = _decidable(request, pk)
    if request.method != "POST":
        return _not_waiting(request, write_off) or render(
            request, "inventory/write_off_refuse.html", {"write_off": write_off, "form": RefuseForm()})
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            write_off_refuse(write_off=write_off, by=request.user, reason=form.cleaned_data["reason"])
        except InventoryRefused as refusal:
            refusal_to_message(request, refusal)
        else:
            messages.success(request, _("The write-off of %(record)s was refused.") % {
                "record": write_off.record.archive_number})
        return redirect("inventory_write_off_detail", write_off.pk)
    return render(request, "inventory/write_off_refuse.html", {"write_off": write_off, "form": form})
