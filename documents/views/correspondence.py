"""The correspondence registers' screens (R-SCOPE 3–4): the list with its
filters, registering an incoming or outgoing document, a line's page,
correcting it with a reason, filing it (a submission for the filing desk,
or a record filed already, by its archive number) and the registers
(收文登记簿 / 发文登记表) as PDF or Excel. The archivist writes
(documents.policies.may_keep_registers); the archivist and the
department head read (may_view_documents); everyone else gets 403."""
import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Department
from core.history import reason_label
from core.text import join_items
from core.views import gate, refusal_to_form
from documents import policies, selectors
from documents.exceptions import DocumentsRefused
from documents.forms_correspondence import (
    CorrectionForm,
    CorrespondenceFilterForm,
    FileForm,
    LinkForm,
    NewCorrespondenceForm,
)
from documents.models import Correspondence, Direction
from documents.services.correspondence import (
    correspondence_correct,
    correspondence_file,
    correspondence_link,
    correspondence_register,
)
from records.history import HISTORY_TYPE_LABELS
from records.paging import page_of
from records.register_jobs import register_page
from records.selectors import visible_records

GET_OR_POST = ["GET", "HEAD", "POST"]
REGISTER_SOURCE = "documents_correspondence"
HISTORY_HIDDEN_FIELDS = {"id", "year", "serial", "registered_at"}
# A service saves the line and then sets its receivers: one step to a reader.
SAME_STEP = datetime.timedelta(seconds=2)


def _line(request, pk):
    gate(policies.may_view_documents(request.user))
    return get_object_or_404(selectors.correspondence_lines(), pk=pk)


def _keeper_line(request, pk):
    gate(policies.may_keep_registers(request.user))
    return _line(request, pk)


@require_safe
def correspondence_list(request):
    """Every register line, newest first, by direction, year and a part of
    the title or number."""
    gate(policies.may_view_documents(request.user))
    form = CorrespondenceFilterForm(request.GET or None)
    page = page_of(request, selectors.correspondence_lines(**form.filters()).order_by("-year", "-registered_at", "-pk"))
    return render(request, "documents/correspondence_list.html", {
        "form": form, "page_obj": page, "lines": list(page.object_list),
        "may_keep": policies.may_keep_registers(request.user),
    })


@require_http_methods(GET_OR_POST)
def correspondence_new(request):
    """Register a document; its number is given when it is saved."""
    gate(policies.may_keep_registers(request.user))
    if request.method == "POST":
        form = NewCorrespondenceForm(request.POST)
        if form.is_valid():
            data, receivers = form.service_data()
            try:
                line = correspondence_register(
                    by=request.user, direction=form.cleaned_data["direction"], data=data, receivers=receivers
                )
            except DocumentsRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("Registered as %(number)s.") % {"number": line.number})
                return redirect("documents_correspondence_detail", line.pk)
    else:
        direction = request.GET.get("direction")
        form = NewCorrespondenceForm(initial={
            "direction": direction if direction in Direction.values else Direction.OUTGOING,
            "document_date": timezone.localdate(), "handler": request.user.pk,
        })
    return render(request, "documents/correspondence_new.html", {"form": form})


def _value(field, value, departments):
    if field.many_to_many:
        return join_items(departments.get(item.get("department"), "") for item in value or [])
    if value is None or value == "":
        return None
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value.isoformat() if isinstance(value, datetime.date) else value


def _changes(entry, previous, departments):
    delta = entry.diff_against(previous, excluded_fields=HISTORY_HIDDEN_FIELDS, foreign_keys_are_objs=True)
    fields = {field.name: field for field in Correspondence._meta.get_fields() if hasattr(field, "verbose_name")}
    return [
        {"field": fields[change.field].verbose_name, "old": _value(fields[change.field], change.old, departments),
         "new": _value(fields[change.field], change.new, departments)}
        for change in delta.changes
    ]


def _history(line):
    """The line's history, newest first, with what each step changed; the
    receivers a service set are shown with the step that set them."""
    departments = dict(Department.objects.values_list("pk", "name"))
    entries = list(line.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    for index, entry in enumerate(entries):
        changes = _changes(entry, entries[index - 1], departments) if index else []
        last = rows[-1] if rows else None
        if last and (last["user"], last["reason_code"]) == (entry.history_user, entry.history_change_reason) \
                and entry.history_date - last["date"] < SAME_STEP:
            last["changes"].extend(changes)
            continue
        rows.append({
            "date": entry.history_date, "user": entry.history_user, "changes": changes,
            "type": HISTORY_TYPE_LABELS.get(entry.history_type, entry.history_type),
            "reason_code": entry.history_change_reason, "reason": reason_label(entry.history_change_reason or ""),
        })
    return rows[::-1]


@require_safe
def correspondence_detail(request, pk):
    line = _line(request, pk)
    may_keep = policies.may_keep_registers(request.user)
    return render(request, "documents/correspondence_detail.html", {
        "line": line, "receivers": list(line.receivers.all()), "may_keep": may_keep, "history": _history(line),
        "may_register_controlled": policies.may_distribute(request.user) and line.direction == Direction.OUTGOING,
    })


@require_http_methods(GET_OR_POST)
def correspondence_edit(request, pk):
    """Correct a line with a reason; its number and direction stay."""
    line = _keeper_line(request, pk)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            data, receivers = form.service_data()
            try:
                correspondence_correct(
                    correspondence=line, by=request.user, data=data, receivers=receivers,
                    reason=form.cleaned_data["reason"],
                )
            except DocumentsRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("%(number)s is corrected.") % {"number": line.number})
                return redirect("documents_correspondence_detail", line.pk)
    else:
        form = CorrectionForm(initial=CorrectionForm.initial_of(line))
    return render(request, "documents/correspondence_edit.html", {"form": form, "line": line})


def _link(request, line, form):
    """Link the line to the record the form names; True when done."""
    record = visible_records(request.user).filter(archive_number=form.cleaned_data["archive_number"]).first()
    if record is None:
        form.add_error("archive_number", _("No record has the archive number %(number)s.") % {
            "number": form.cleaned_data["archive_number"]})
        return False
    try:
        correspondence_link(correspondence=line, record=record, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_form(form, refusal)
        return False
    messages.success(request, _("%(number)s is linked to %(record)s.") % {
        "number": line.number, "record": record.archive_number})
    return True


def _file(request, line, form):
    """Hand the document in as a submission; True when done."""
    try:
        record = correspondence_file(correspondence=line, by=request.user, files=form.cleaned_data["files"])
    except DocumentsRefused as refusal:
        refusal_to_form(form, refusal)
        return False
    messages.success(request, _(
        "%(number)s is handed in for filing in class %(category)s: receive it at the filing desk."
    ) % {"number": line.number, "category": record.category.code})
    return True


@require_http_methods(GET_OR_POST)
def correspondence_file_view(request, pk):
    """归档: after a page saying what follows, the document becomes a
    submission in class WLFW or WLSW waiting at the filing desk, or the
    line is linked to a record filed already."""
    line = _keeper_line(request, pk)
    if line.record_id is not None:
        messages.warning(request, _("%(number)s is filed already.") % {"number": line.number})
        return redirect("documents_correspondence_detail", line.pk)
    file_form, link_form = FileForm(), LinkForm()
    if request.method == "POST":
        if request.POST.get("action") == "link":
            link_form = LinkForm(request.POST)
            done = link_form.is_valid() and _link(request, line, link_form)
        else:
            file_form = FileForm(request.POST, request.FILES)
            done = file_form.is_valid() and _file(request, line, file_form)
        if done:
            return redirect("documents_correspondence_detail", line.pk)
    return render(request, "documents/correspondence_file.html", {
        "line": line, "file_form": file_form, "link_form": link_form,
        "category_code": "WLFW" if line.direction == Direction.OUTGOING else "WLSW",
    })


@require_safe
def correspondence_register_view(request):
    """收文登记簿 / 发文登记表 of a year as PDF or Excel (a background job when long)."""
    gate(policies.may_view_documents(request.user))
    context = {
        "title": _("Correspondence registers"),
        "intro": _("The incoming or the outgoing register of a year: every document in the order of its "
                   "number, with its departments, handler and archive number."),
    }
    initial = {"direction": Direction.OUTGOING, "year": timezone.localdate().year, **request.GET.dict()}
    return register_page(
        request, REGISTER_SOURCE, template="documents/correspondence_register.html", context=context, initial=initial
    )
