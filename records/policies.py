"""Who may do what at the filing desk, and which fields a correction may
touch. Pure rule checks: they read the user's permissions and the record's
state and change nothing. The views, the record page and the services all
ask here (services ask again under the row lock)."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from records.models import OcrState, RecordStatus
from records.selectors import visible_records

# What a submitter fills in (R-FILE-2); the services accept no other field
# from a submission form.
SUBMISSION_FIELDS = (
    "title",
    "category",
    "document_date",
    "responsible_party",
    "document_number",
    "security_level",
    "retention_years",
    "medium",
    "copies",
    "pages",
    "keywords",
    "notes",
)

# The description of a filed record that the archivist may correct, with a
# reason, after filing (R-FILE-3: nobody writes on a filed original).
CORRECTABLE_FIELDS = (
    "title",
    "document_date",
    "responsible_party",
    "document_number",
    "keywords",
    "notes",
    "pages",
    "copies",
    "medium",
    "security_level",
    "location",
)

# Part of the archive number once it is given (R-FILE-5): a different class,
# year or retention is a different record, never a correction.
NUMBERED_FIELDS = ("category", "year", "retention_years")

EDITABLE_BY_SUBMITTER = (RecordStatus.DRAFT, RecordStatus.RETURNED)


def may_submit(user):
    """Staff of the department that owns the archive hand in what they
    produce or collect, trips and meetings included (R-FILE-2)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("records.add_record")
        and user.is_archive_department_member
    )


def may_edit_submission(user, record):
    """The submitter edits and (re)submits their own draft or returned item;
    once submitted it waits for the archivist, once filed only a correction
    changes it."""
    return (
        may_submit(user)
        and record.submitted_by_id == user.pk
        and record.status in EDITABLE_BY_SUBMITTER
    )


def may_receive(user):
    """The archivist receives, counts and files (R-FILE-3)."""
    return user.is_authenticated and user.is_active and user.has_perm("records.file_record")


def may_receive_record(user, record):
    return may_receive(user) and record.status == RecordStatus.SUBMITTED


def may_return(user, record):
    """A submitted item that fails the check goes back to its submitter
    with a reason (R-FILE-3)."""
    return may_receive_record(user, record)


def may_correct(user, record):
    """Only the archivist corrects a record on the books, and only as a
    recorded change with a reason (R-FILE-3)."""
    return may_receive(user) and record.status in RecordStatus.on_the_books()


def refused_correction_fields(fields):
    """The names among `fields` a correction may not change, in the order
    given: the numbered fields and anything not descriptive."""
    return [name for name in fields if name not in CORRECTABLE_FIELDS]


def may_print_handover(user, handover):
    """The handover list (移交清册) is for the two sides and the department:
    the archive's keepers and the department head (who hold
    records.view_handover) and the person who handed the items over."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm("records.view_handover") or handover.handed_over_by_id == user.pk


def format_check_needs_remark(format_ok, remarks):
    """An item whose format is not right is received only with a remark
    saying what is wrong (R-FILE-3); otherwise it is returned."""
    return not format_ok and not (remarks or "").strip()


def counts_differ(record, copies_received, pages_received):
    return (copies_received, pages_received) != (record.copies, record.pages)


@dataclass(frozen=True)
class Action:
    """One thing the current user may do with a record, for the record page."""

    code: str
    label: str
    url_name: str
    method: str = "get"  # "post" actions are buttons in a form
    primary: bool = False


ACTION_EDIT = "edit"
ACTION_SUBMIT = "submit"
ACTION_RECEIVE = "receive"
ACTION_RETURN = "return"
ACTION_CORRECT = "correct"
ACTION_PRINT_HANDOVER = "print_handover"


def record_actions(user, record, handover=None):
    """What `user` may do with `record` now, in the order shown on the
    record page. `handover` is the record's handover, if it has one."""
    actions = []
    if may_edit_submission(user, record):
        actions.append(Action(ACTION_EDIT, _("Edit"), "submission_edit"))
        actions.append(Action(ACTION_SUBMIT, _("Submit for filing"), "submission_submit", "post", primary=True))
    if may_receive_record(user, record):
        actions.append(Action(ACTION_RECEIVE, _("Receive and file"), "handover_receive", primary=True))
    if may_return(user, record):
        actions.append(Action(ACTION_RETURN, _("Return to the submitter"), "record_return"))
    if may_correct(user, record):
        actions.append(Action(ACTION_CORRECT, _("Correct the description"), "record_correct"))
    if handover is not None and may_print_handover(user, handover):
        actions.append(Action(ACTION_PRINT_HANDOVER, _("Print the handover list"), "handover_pdf"))
    return actions


# Nobody adds files to a record that has left the books.
CLOSED_STATES = (
    RecordStatus.VOID,
    RecordStatus.WRITTEN_OFF,
    RecordStatus.WEEDED,
    RecordStatus.DESTROYED,
    RecordStatus.TRANSFERRED,
)


def may_add_attachment(user, record):
    """Who may add electronic files to a record: its submitter while the item
    is a draft or returned to them, and those who file records (the
    archivist) for any record still on the books or on its way there. Nobody
    adds files to a void, written-off, weeded, destroyed or transferred
    record."""
    if not (user.is_authenticated and user.is_active) or record.status in CLOSED_STATES:
        return False
    files_records = user.has_perm("records.file_record")
    is_submitter = record.submitted_by_id == user.pk and record.status in EDITABLE_BY_SUBMITTER
    if not (files_records or is_submitter):
        return False
    return visible_records(user).filter(pk=record.pk).exists()


def may_place_hold(user):
    """Who may freeze a record against weeding, write-off and destruction:
    holders of records.add_hold: the department head and leadership (issue
    12), and the archivist, who keeps the records (records.grants)."""
    return user.is_authenticated and user.has_perm("records.add_hold")


def may_see_holds(user):
    """Who may read a hold's reason, author and end date (not just that a
    record is held): holders of records.view_hold (records.grants)."""
    return user.is_authenticated and user.has_perm("records.view_hold")


def may_release_hold(user):
    """Who may release a hold: holders of records.change_hold (the
    department head, leadership and the archivist, records.grants)."""
    return user.is_authenticated and user.has_perm("records.change_hold")


def may_run_maintenance(user):
    """The file check (R-FILE-6) and the search index are the keeper's: the
    archivist (records.file_record) starts them from the maintenance page."""
    return user.is_authenticated and user.is_active and user.has_perm("records.file_record")


def may_view_statistics(user):
    """The statistics page and the home page's charts are for those who
    keep, sign off or lead: the archivist (records.file_record), the
    department head (records.approve_disposal) and leadership
    (records.approve_destruction). The numbers are counts, never titles."""
    if not (user.is_authenticated and user.is_active):
        return False
    return any(
        user.has_perm(permission)
        for permission in ("records.file_record", "records.approve_disposal", "records.approve_destruction")
    )


def may_retry_ocr(user, attachment):
    """The archivist (records.file_record), who keeps the files, starts a
    failed recognition again; only a failed one, of a file still there."""
    return (
        user.is_authenticated and user.is_active and user.has_perm("records.file_record")
        and attachment.ocr_state == OcrState.FAILED and attachment.destroyed_at is None
    )
