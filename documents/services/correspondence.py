"""The correspondence registers (收文登记簿 / 发文登记表, R-SCOPE 3–4): the
archivist registers every internal document received from or sent to
other departments under a number allocated per year and direction
without gaps (documents.numbering, after the DocumentsPolicy pattern),
corrects a line with a reason (never its number or direction), and files
the document: a submission in class WLFW (outgoing) or WLSW (incoming)
through records.services.record_create, which the archivist then
receives at the filing desk; or links a record already filed."""
import contextlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, User
from core.history import save_with_history
from core.limits import FIRST_DATE, INTEGER_MAX, LAST_DATE
from core.text_input import field_text
from documents import numbering, policies
from documents.exceptions import DocumentsRefused
from documents.models import Correspondence, Direction, Urgency
from documents.reasons import DocumentsReason
from records.attachments import AttachmentRefused
from records.exceptions import RecordActionRefused
from records.models import Category, Record
from records.services import record_create

# The file plan's classes of internal correspondence (records.file_plan).
FILING_CLASSES = {Direction.OUTGOING: "WLFW", Direction.INCOMING: "WLSW"}
DATA_FIELDS = ("document_date", "title", "pages", "urgency", "sender", "handler", "note")
REASON_MAX_LENGTH = 300


def _refuse_unless_keeper(by):
    if not policies.may_keep_registers(by):
        raise DocumentsRefused(_("Only the archivist keeps the correspondence registers."))


def _locked(correspondence):
    return Correspondence.objects.select_for_update().get(pk=correspondence.pk)


def _text(value, field, missing=None):
    return field_text(value, model=Correspondence, field=field, refusal=DocumentsRefused, missing=missing)


def _checked_date(value):
    if value is None:
        raise DocumentsRefused(_("Date: give the date of the document."), field="document_date")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise DocumentsRefused(
            _("Date: must be between %(first)s and %(last)s.")
            % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
            field="document_date",
        )
    return value


def _checked_pages(value):
    if not isinstance(value, int) or not 1 <= value <= INTEGER_MAX:
        raise DocumentsRefused(_("Pages: at least one."), field="pages")
    return value


def _checked_people(data):
    sender, handler = data.get("sender"), data.get("handler")
    if not isinstance(sender, Department):
        raise DocumentsRefused(_("Choose the sending department."), field="sender")
    if not isinstance(handler, User) or not handler.is_active:
        raise DocumentsRefused(_("Choose the person handling the document (an active user)."), field="handler")
    return sender, handler


def _checked(data):
    """The line's values from `data` (DATA_FIELDS), each checked; refuses
    naming the field."""
    unknown = sorted(set(data) - set(DATA_FIELDS))
    if unknown:
        raise DocumentsRefused(_("These fields cannot be set: %(fields)s.") % {"fields": ", ".join(unknown)})
    sender, handler = _checked_people(data)
    urgency = data.get("urgency") or Urgency.NORMAL
    if urgency not in Urgency.values:
        raise DocumentsRefused(_("Choose the urgency."), field="urgency")
    return {
        "document_date": _checked_date(data.get("document_date")),
        "title": _text(data.get("title"), "title", missing=_("Title: say what the document is.")),
        "pages": _checked_pages(data.get("pages", 1)),
        "urgency": urgency,
        "sender": sender,
        "handler": handler,
        "note": _text(data.get("note"), "note"),
    }


def _checked_receivers(receivers):
    receivers = list(receivers or [])
    if not receivers or not all(isinstance(receiver, Department) for receiver in receivers):
        raise DocumentsRefused(_("Choose at least one receiving department."), field="receivers")
    return receivers


@transaction.atomic
def correspondence_register(*, by, direction, data, receivers):
    """Register an incoming or outgoing document under the next number of
    its year and direction (R-SCOPE 3–4). The number is taken in this
    transaction: a refused registration leaves no gap, and two at once
    never share one."""
    _refuse_unless_keeper(by)
    if direction not in Direction.values:
        raise DocumentsRefused(_("Choose incoming or outgoing."), field="direction")
    values = _checked(data)
    receivers = _checked_receivers(receivers)
    year = values["document_date"].year
    serial, number = numbering.allocate_correspondence_number(direction, year)
    line = Correspondence(
        direction=direction, year=year, serial=serial, number=number,
        registered_by=by, registered_at=timezone.now(), **values,
    )
    save_with_history(line, by=by, reason=DocumentsReason.CORRESPONDENCE_REGISTERED)
    line.receivers.set(receivers)
    return line


def _changed(line, values, receivers):
    changed = [name for name, value in values.items() if getattr(line, name) != value]
    if {receiver.pk for receiver in receivers} != set(line.receivers.values_list("pk", flat=True)):
        changed.append("receivers")
    return changed


@transaction.atomic
def correspondence_correct(*, correspondence, by, data, receivers, reason):
    """Correct a register line, with the archivist's reason kept verbatim
    in its history. The number and the direction never change, so the date
    stays in the number's year (R-SCOPE 3–4)."""
    _refuse_unless_keeper(by)
    line = _locked(correspondence)
    values = _checked(data)
    receivers = _checked_receivers(receivers)
    reason = field_text(reason, model=Correspondence, field="note", refusal=DocumentsRefused,
                        missing=_("Reason for the correction: say why the line changes."))
    if values["document_date"].year != line.year:
        raise DocumentsRefused(
            _("Date: %(number)s is a number of %(year)d; the date must stay in that year.")
            % {"number": line.number, "year": line.year},
            field="document_date",
        )
    if not _changed(line, values, receivers):
        raise DocumentsRefused(_("Nothing to correct: the values are the ones already registered."))
    for name, value in values.items():
        setattr(line, name, value)
    save_with_history(line, by=by, reason=reason[:REASON_MAX_LENGTH])
    line.receivers.set(receivers)
    return line


def _refuse_if_filed(line):
    if line.record_id is not None:
        raise DocumentsRefused(
            _("%(number)s is filed already as %(record)s.")
            % {"number": line.number, "record": line.record.archive_number or line.record.title}
        )


@contextlib.contextmanager
def _records_refusals():
    """A refusal of records.services (a file refused, a class no longer in
    use) is passed on as the documents app's, with the same message; the
    transaction rolls back, so nothing is half done."""
    try:
        yield
    except RecordActionRefused as refusal:
        raise DocumentsRefused(refusal.message, field=refusal.field) from refusal
    except AttachmentRefused as refusal:
        raise DocumentsRefused(refusal.message, field="files") from refusal


def _submission_data(line):
    category = Category.objects.filter(code=FILING_CLASSES[line.direction]).first()
    if category is None:
        raise DocumentsRefused(
            _("The file plan has no class %(code)s for this document.") % {"code": FILING_CLASSES[line.direction]}
        )
    return {
        "title": line.title,
        "category": category,
        "document_date": line.document_date,
        "document_number": line.number,
        "pages": line.pages,
        "responsible_party": line.sender.name,
        "notes": line.note,
    }


@transaction.atomic
def correspondence_file(*, correspondence, by, files=()):
    """File the document: a submission in class WLFW (outgoing) or WLSW
    (incoming) with the line's facts and the files given, waiting for the
    archivist at the filing desk; the line is linked to it."""
    _refuse_unless_keeper(by)
    line = _locked(correspondence)
    _refuse_if_filed(line)
    with _records_refusals():
        record = record_create(by=by, data=_submission_data(line), files=files, submit=True).record
    line.record = record
    save_with_history(line, by=by, reason=DocumentsReason.CORRESPONDENCE_FILED)
    return record


@transaction.atomic
def correspondence_link(*, correspondence, record, by):
    """Link the line to a record filed already (found by its archive number)."""
    _refuse_unless_keeper(by)
    line = _locked(correspondence)
    _refuse_if_filed(line)
    record = Record.objects.select_for_update().get(pk=record.pk)
    other = Correspondence.objects.filter(record=record).exclude(pk=line.pk).first()
    if other is not None:
        raise DocumentsRefused(
            _("%(record)s is linked to %(number)s already.") % {"record": record.archive_number, "number": other.number},
            field="archive_number",
        )
    line.record = record
    save_with_history(line, by=by, reason=DocumentsReason.CORRESPONDENCE_FILED)
    return line
