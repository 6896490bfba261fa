"""The filing desk: staff submit items and follow them (R-FILE-2); the
archivist receives, counts and files them as handovers, returns what fails
the check, and corrects filed records with a reason (R-FILE-3, R-FILE-5).
The handovers themselves are shown by records.views.handovers.

Views check input with records.forms_filing, act through records.services
and answer with a message and a redirect. Who may do what is
records.policies; core.views.gate turns a "no" into 403 (or 404 where the
page must not reveal that the thing exists), and a service's refusal
reaches the user through core.views.refusal_to_form / refusal_to_message.
Records are always looked up through records.selectors.visible_records."""
import re

from django.contrib import messages
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from records import policies, services, submission_tabs
from records.attachments import AttachmentRefused, screen_uploads
from records.exceptions import RecordActionRefused
from records.forms_filing import (
    CorrectionForm,
    HandoverForm,
    ReceiveFormSet,
    ReceiveSelectionForm,
    ReturnForm,
    SubmissionForm,
    box_choices,
)
from records.models import LocationKind, RecordStatus
from records.paging import PER_PAGE, page_of
from records.selectors import visible_records

SUBMISSIONS_PER_PAGE = PER_PAGE
QUEUE_PER_PAGE = PER_PAGE
_FORMSET_RECORD_KEY = re.compile(r"^form-\d+-record$")
GET_OR_POST = ["GET", "HEAD", "POST"]


def _posted(request):
    """Form data and files of a POST; nothing (an unbound form) otherwise."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _record(request, pk):
    return get_object_or_404(
        visible_records(request.user).select_related("category", "location", "submitted_by"), pk=pk
    )


def _receivable(user):
    """Submitted items waiting for the archivist, oldest first."""
    return (
        visible_records(user)
        .filter(status=RecordStatus.SUBMITTED)
        .select_related("category", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def _report_added_files(request, submission):
    """Say which files the archive already holds (same SHA-256)."""
    for added in submission.added:
        if added.warning:
            messages.warning(request, added.warning)


# --- staff: submit and follow (R-FILE-2) ---------------------------------------------


def _submission_page(request, form, record=None):
    return render(
        request,
        "records/filing/submission_form.html",
        {"form": form, "record": record},
    )


def _save_submission(request, form, record=None):
    """Create or update from a valid form with the files that pass the
    checks; None (with the form's errors set) when the service refuses.
    A refused file does not lose the others: the item is kept as a draft
    with the accepted files, and `refused` lists what was refused."""
    accepted, refused = screen_uploads(form.cleaned_data["files"])
    submit = "submit" in request.POST and not refused
    arguments = {"by": request.user, "data": form.submission_data(), "files": accepted}
    try:
        if record is None:
            submission = services.record_create(submit=submit, **arguments)
        else:
            submission = services.record_update(record=record, submit=submit, **arguments)
    except AttachmentRefused as refusal:
        # A refused file is shown beside the file input.
        refusal.field = refusal.field or "files"
        refusal_to_form(form, refusal)
    except RecordActionRefused as refusal:
        refusal_to_form(form, refusal)
    else:
        submission.refused = refused
        return submission
    return None


def _after_save(request, submission, submitted):
    if submission.refused:
        return _after_refused_files(request, submission)
    if submitted:
        messages.success(
            request, _("«%(title)s» was submitted for filing.") % {"title": submission.record.title}
        )
    else:
        messages.success(request, _("«%(title)s» was saved as a draft.") % {"title": submission.record.title})
    _report_added_files(request, submission)
    return redirect("my_submissions")


def _after_refused_files(request, submission):
    """Back to the item's form: the refused files named with their reasons,
    the accepted ones kept with the draft, nothing submitted."""
    for refusal in submission.refused:
        messages.error(request, refusal.message)
    messages.warning(
        request,
        _("«%(title)s» was kept with the accepted files (not submitted). Choose the refused files again "
          "once they are put right, or submit without them.")
        % {"title": submission.record.title},
    )
    _report_added_files(request, submission)
    return redirect("submission_edit", pk=submission.record.pk)


@require_http_methods(GET_OR_POST)
def submission_create(request):
    """Hand in an item for filing: save it as a draft or submit it."""
    gate(policies.may_submit(request.user))
    form = SubmissionForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        submission = _save_submission(request, form)
        if submission is not None:
            return _after_save(request, submission, "submit" in request.POST)
    return _submission_page(request, form)


@require_http_methods(GET_OR_POST)
def submission_edit(request, pk):
    """The submitter edits their draft or returned item."""
    record = _record(request, pk)
    gate(policies.may_edit_submission(request.user, record))
    form = SubmissionForm(*_posted(request), instance=record)
    if request.method == "POST" and form.is_valid():
        submission = _save_submission(request, form, record)
        if submission is not None:
            return _after_save(request, submission, "submit" in request.POST)
    return _submission_page(request, form, record)


@require_POST
def submission_submit(request, pk):
    record = _record(request, pk)
    gate(policies.may_edit_submission(request.user, record))
    try:
        record = services.record_submit(record=record, by=request.user)
    except RecordActionRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("«%(title)s» was submitted for filing.") % {"title": record.title})
    return redirect("my_submissions")


@require_safe
def my_submissions(request):
    """What I handed in and where it stands, in tabs by state with their
    counts, returned items first and on top (records.submission_tabs):
    draft, submitted, returned with the reason, filed with its archive
    number (R-FILE-2, R-FILE-3)."""
    gate(policies.may_submit(request.user))
    mine = visible_records(request.user).filter(submitted_by=request.user)
    current = submission_tabs.chosen_tab(request)
    records = (
        submission_tabs.in_tab(mine, current)
        .select_related("category", "location", "handover_item__handover")
        .annotate(file_count=Count("attachments"))
    )
    page = page_of(request, records, SUBMISSIONS_PER_PAGE)
    return render(
        request,
        "records/filing/my_submissions.html",
        {
            "page_obj": page,
            "records": page.object_list,
            "editable": policies.EDITABLE_BY_SUBMITTER,
            "tabs": submission_tabs.submission_tabs(mine, current),
        },
    )


# --- archivist: receive, return, correct (R-FILE-3) ----------------------------------


@require_safe
def receiving_queue(request):
    """Submitted items by submitter, the longest-waiting first, a page at a
    time; each submitter's heading counts all their waiting items."""
    gate(policies.may_receive(request.user))
    receivable = _receivable(request.user)
    page = page_of(request, receivable.prefetch_related("attachments"), QUEUE_PER_PAGE)
    return render(
        request,
        "records/filing/receiving_queue.html",
        {"groups": _queue_groups(receivable, page.object_list), "page_obj": page},
    )


def _queue_groups(receivable, records):
    """The page's records grouped by submitter, in the page's order, with
    how many items each submitter has waiting in all and since when (one
    query for every group)."""
    groups = {}
    for record in records:
        group = groups.setdefault(
            record.submitted_by_id, {"submitter": record.submitted_by, "records": []}
        )
        group["records"].append(record)
    waiting = (
        receivable.order_by()
        .filter(submitted_by__in=list(groups))
        .values("submitted_by")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
    )
    for row in waiting:
        groups[row["submitted_by"]].update(waiting=row["count"], oldest=row["oldest"])
    return list(groups.values())


def _suggested_box(record):
    """The box of the last record filed in the same class and year: items
    of one class and year sit together, quick to find (R-FILE-4)."""
    return (
        record.category.records.filter(year=record.year, location__kind=LocationKind.BOX, location__is_active=True)
        .exclude(filed_at=None)
        .order_by("-filed_at")
        .values_list("location_id", flat=True)
        .first()
    )


def _receive_page(request, formset, handover_form, template="records/filing/handover_receive.html"):
    forms = formset.forms
    submitter = forms[0].item.submitted_by if forms and forms[0].item else None
    return render(
        request,
        template,
        {
            "formset": formset,
            "handover_form": handover_form,
            "submitter": submitter,
            "total_pages": sum(form.cleaned_data.get("pages_received") or 0 for form in forms)
            if formset.is_bound and formset.is_valid() else None,
        },
    )


@require_http_methods(GET_OR_POST)
def handover_receive(request):
    """Receive items of one submitter: count and check each (GET shows the
    items chosen in the queue), review (POST), then confirm (POST with
    `confirm`): one handover, every item filed with its archive number and
    box, in one step that cannot be undone (R-FILE-3, R-FILE-5)."""
    gate(policies.may_receive(request.user))
    receivable = _receivable(request.user)
    if request.method != "POST":
        return _receive_chosen(request, receivable)
    return _receive_posted(request, receivable)


def _receive_chosen(request, receivable):
    """The items chosen in the queue, their counts as submitted and a box
    suggested, ready to be checked; back to the queue if the choice fails."""
    selection = ReceiveSelectionForm(request.GET, receivable=receivable)
    if not selection.is_valid():
        for errors in selection.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("receiving_queue")
    records = sorted(selection.cleaned_data["records"], key=lambda record: (record.submitted_at, record.pk))
    formset = ReceiveFormSet(
        initial=[_as_submitted(record) for record in records],
        form_kwargs={"records": {record.pk: record for record in records}, "boxes": box_choices()},
    )
    return _receive_page(request, formset, HandoverForm())


def _as_submitted(record):
    """A receipt row as the submitter described the item."""
    return {
        "record": record.pk,
        "copies_received": record.copies,
        "pages_received": record.pages,
        "format_ok": True,
        "location": _suggested_box(record),
    }


def _posted_formset(request, receivable):
    """The counted items as posted, or None when one of them is no longer
    waiting to be received (someone else received or returned it)."""
    posted = [value for key, value in request.POST.items() if _FORMSET_RECORD_KEY.match(key)]
    pks = [int(value) for value in posted if value.isdigit()]
    records = {record.pk: record for record in receivable.filter(pk__in=pks)}
    formset = ReceiveFormSet(request.POST, form_kwargs={"records": records, "boxes": box_choices()})
    if len(records) != len(posted) or any(form.item is None for form in formset.forms):
        return None
    return formset


def _receive_posted(request, receivable):
    """Review the counts (the confirmation page), go back to edit them, or
    confirm and file."""
    formset = _posted_formset(request, receivable)
    if formset is None:
        messages.error(request, _("Some of these items are no longer waiting to be received; choose again."))
        return redirect("receiving_queue")
    handover_form = HandoverForm(request.POST)
    valid = formset.is_valid() and handover_form.is_valid()
    if valid and "confirm" in request.POST:
        return _confirm_receipt(request, formset, handover_form)
    if valid and "edit" not in request.POST:
        return _receive_page(request, formset, handover_form, "records/filing/handover_confirm.html")
    return _receive_page(request, formset, handover_form)


def _confirm_receipt(request, formset, handover_form):
    """File every item as one handover; on a refusal, the counts page again
    with the message."""
    items = formset.received_items()
    try:
        handover = services.handover_receive(
            by=request.user, items=items, notes=handover_form.cleaned_data["notes"]
        )
    except RecordActionRefused as refusal:
        refusal_to_message(request, refusal)
        return _receive_page(request, formset, handover_form)
    messages.success(
        request,
        ngettext(
            "Handover %(number)s: %(count)d item received and filed.",
            "Handover %(number)s: %(count)d items received and filed.",
            len(items),
        )
        % {"number": handover.number, "count": len(items)},
    )
    return redirect("handover_detail", pk=handover.pk)


@require_http_methods(GET_OR_POST)
def record_return(request, pk):
    """Send a submitted item back to its submitter with a reason."""
    record = _record(request, pk)
    gate(policies.may_return(request.user, record))
    form = ReturnForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_return(record=record, by=request.user, reason=form.cleaned_data["reason"])
        except RecordActionRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("«%(title)s» was returned to %(name)s.")
                % {"title": record.title, "name": record.submitted_by.display_name},
            )
            return redirect("receiving_queue")
    return render(request, "records/filing/record_return.html", {"form": form, "record": record})


@require_http_methods(GET_OR_POST)
def record_correct(request, pk):
    """Correct the description of a filed record, with a reason."""
    record = _record(request, pk)
    gate(policies.may_correct(request.user, record))
    form = CorrectionForm(*_posted(request), instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_correct(
                record=record, by=request.user, changes=form.changes(), reason=form.cleaned_data["reason"]
            )
        except RecordActionRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("The correction was recorded in the history."))
            return redirect("record_detail", pk=pk)
    # The form changed the instance in memory while validating.
    record.refresh_from_db()
    return render(request, "records/filing/record_correct.html", {"form": form, "record": record})
