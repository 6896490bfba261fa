"""What the documents registers share: who may print them, and people,
moments and copies written out as a reader reads them (local time, the
language's own date format: 2026年12月6日 14:05)."""
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import policies
from documents.exceptions import DocumentsRefused


def refuse_unless_may_view(reader):
    """The archivist and the department head read the distribution register
    and the purge certificates (documents.policies.may_view_documents).
    Asked again when a background job builds the register: the reader may
    have lost the right since asking."""
    if not policies.may_view_documents(reader):
        raise DocumentsRefused(_("You may not print the controlled document registers."))


def refuse_unless_active(reader):
    """The list of documents in force is for every active user: it names no
    holder."""
    if not (reader is not None and reader.is_authenticated and reader.is_active):
        raise DocumentsRefused(_("You may not print the controlled document registers."))


def moment_text(value):
    """A moment in local time as the registers' date columns print it
    (records.printing.columns.Column: 2026-12-06 14:05)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def person(user):
    return user.display_name if user is not None else ""


def document_text(document):
    """Title, document number and revision, as the registers name a
    document: 市场推广费用管理规定 · 市场发〔2026〕3号 · 第2版."""
    parts = [document.title, document.reference, revision_text(document)]
    return " · ".join(str(part) for part in parts if part)


def revision_text(document):
    return _("Revision %(revision)d") % {"revision": document.revision}


def recipient_text(copy):
    """The person a copy is addressed to, or the department and, once signed
    for, the member who signed (R-CTRL-1)."""
    if copy.recipient_user_id is not None:
        return person(copy.recipient_user)
    department = str(copy.recipient_department)
    if copy.holder_id is None:
        return department
    return _("%(department)s (signed for by %(name)s)") % {"department": department, "name": person(copy.holder)}


def signed_text(copy):
    """How the copy was signed for: in the application or on paper, by
    whom and when; for a paper signature, who recorded it."""
    if copy.signed_at is None:
        return _("Not signed for")
    values = {"name": person(copy.holder), "moment": moment_text(copy.signed_at)}
    if copy.signed_on_paper:
        values["recorder"] = person(copy.signature_recorded_by)
        return _("Signed on paper: %(name)s, %(moment)s (recorded by %(recorder)s)") % values
    return _("Signed in the application: %(name)s, %(moment)s") % values
