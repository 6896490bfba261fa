"""The staff portal: home, record list, record detail.

Every read starts from `records.selectors.visible_records`, so a record the
user may not see is simply not found (404, never 403: the portal does not
reveal that a hidden record exists, R-LEND-4 / R-ACCESS)."""
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from records.access_log import log_access, log_access_many
from records.history import history_rows
from records.filters import count_by_status
from records.attachments import upload_form
from records.models import AccessAction, HandoverItem, RecordStatus
from records.panels import home_panels, record_panels
from records.policies import ACTION_PRINT_HANDOVER, ACTION_RECEIVE, may_print_handover, may_see_holds, record_actions
from records.selectors import active_holds, newest_filed, visible_records
from records.todo import todo_items


# Where the paper is, read from the record's status; who holds a loan comes
# with lending (R-LEND-1).
CUSTODY_BY_STATUS = {
    RecordStatus.FILED: ("shelf", _("On the shelf")),
    RecordStatus.ON_LOAN: ("loan", _("On loan")),
    RecordStatus.MISSING: ("missing", _("Missing")),
}
NOT_YET_RECEIVED = ("pending", _("Not yet received"))
OFF_THE_BOOKS = ("off_books", _("Off the books"))  # void, written off, weeded, destroyed, transferred
# States set by records.services.disposition (R-DISP-1..3): the record page
# says so in a status line, with when, why and (transferred) to whom.
DISPOSED_STATES = (RecordStatus.WEEDED, RecordStatus.DESTROYED, RecordStatus.TRANSFERRED)


@require_safe
def home(request):
    visible = visible_records(request.user)
    # What waits for the viewer first (records.todo), each a count and a link.
    todo = todo_items(request)
    newest = list(newest_filed(visible))
    # Confidential records in the list leave a line each (R-ACCESS).
    log_access_many(user=request.user, records=newest, action=AccessAction.LISTED, where=_home_where(request))
    return render(
        request,
        "records/home.html",
        {
            "todo_items": todo,
            "records": newest,
            # Counted up to the record list's cap, as the list counts its results.
            "status_counts": count_by_status(visible, cap=settings.ARCHIVE_LIST_COUNT_CAP),
            # What other apps show here (records.panels), e.g. contracts expiring soon.
            "home_panels": home_panels(request),
        },
    )


def _home_where(request):
    return f"{gettext('Newest records')} · {request.get_full_path()}"


@require_safe
def record_detail(request, pk):
    record = get_object_or_404(
        visible_records(request.user).select_related(
            "category", "location", "department", "submitted_by", "filed_by"
        ),
        pk=pk,
    )
    # Every look at a confidential record is traceable (R-ACCESS).
    log_access(user=request.user, record=record, action=AccessAction.VIEW, where=request.get_full_path())
    custody_code, custody_label = custody_of(record)
    handover_item = HandoverItem.objects.select_related("handover").filter(record=record).first()
    handover = handover_item.handover if handover_item else None
    return render(
        request,
        "records/record_detail.html",
        {
            "record": record,
            "disposed": record.status in DISPOSED_STATES,
            "custody_code": custody_code,
            "custody_label": custody_label,
            "attachments": record.attachments.select_related("uploaded_by"),
            "attachment_upload": upload_form(request.user, record),
            "history": history_rows(record),
            "handover_item": handover_item,
            "may_see_handover": handover is not None and may_print_handover(request.user, handover),
            # What this user may do here (records.policies), each with its URL.
            "actions": [
                (action, _action_url(action, record, handover))
                for action in record_actions(request.user, record, handover)
            ],
            # What other apps show here (records.panels), e.g. who has the record on loan.
            "panels": record_panels(request, record),
            **_holds_context(request.user, record),
        },
    )


def _holds_context(user, record):
    """Whether a hold freezes the record (everyone who sees the record is
    told), and the holds themselves for those who may see holds."""
    holds = active_holds(record).select_related("placed_by")
    if may_see_holds(user):
        holds = list(holds)
        return {"held": bool(holds), "holds": holds}
    return {"held": holds.exists(), "holds": []}


def _action_url(action, record, handover):
    if action.code == ACTION_RECEIVE:
        return f"{reverse(action.url_name)}?{urlencode({'records': record.pk})}"
    if action.code == ACTION_PRINT_HANDOVER:
        return reverse(action.url_name, args=[handover.pk])
    return reverse(action.url_name, args=[record.pk])


def custody_of(record):
    """Where the paper is, as (code, label), read from the status."""
    if record.status in RecordStatus.before_filing():
        return NOT_YET_RECEIVED
    return CUSTODY_BY_STATUS.get(record.status, OFF_THE_BOOKS)
