"""Shared helpers of the registering, distribution and copy services (part
CORE, R-CTRL-1..4): row locks taken before any check (always the document
before its copies, as the void and revision services do), the dated
remark lines the distribution register prints, text a person wrote, and
the notices to holders and archivists."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.notices import notify
from core.text_input import field_text
from documents import policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, ControlledDocument


def locked_document(document):
    """Re-read the document under a row lock, before any check."""
    return ControlledDocument.objects.select_for_update().get(pk=document.pk)


def locked_copy(copy):
    """Re-read the copy under a row lock, its document locked first."""
    document = locked_document(copy.document)
    # OF self: PostgreSQL locks no row of a nullable (outer-joined) relation.
    locked = (
        ControlledCopy.objects.select_for_update(of=("self",))
        .select_related("recipient_user", "recipient_department")
        .get(pk=copy.pk)
    )
    locked.document = document
    return locked


def text(value, *, model, field, missing=None, multiline=True):
    """The text as written (core.text_input.field_text), refused as DocumentsRefused."""
    return field_text(value, model=model, field=field, refusal=DocumentsRefused, missing=missing, multiline=multiline)


def add_remark(copy, words, note="", on=None):
    """Append a dated line ("2026-12-06 丢失") to the copy's remark, the
    column the distribution register prints; `on` defaults to today (local);
    a note the person wrote follows the words."""
    line = f"{(on or timezone.localdate()):%Y-%m-%d} {words}"
    if note:
        line = pgettext("distribution register remark", "%(line)s: %(note)s") % {"line": line, "note": note}
    copy.remark = f"{copy.remark}\n{line}" if copy.remark else line


# The page a holder signs for, downloads and returns copies from.
MY_COPIES_PAGE = "documents_my_copies"


def page_url(name, *args):
    return reverse(name, args=args)


def recipient_name(copy):
    """The addressed person's or department's name."""
    if copy.recipient_user_id is not None:
        return copy.recipient_user.display_name
    return copy.recipient_department.name


def tell_archivists(message, *, by, url="", subject=""):
    """Tell every archivist but the one who acted; `subject` names what
    they are asked to do (documents.notices)."""
    for archivist in policies.archivists().exclude(pk=by.pk):
        notify(archivist, message, url, subject)


def refuse_state(copy, message):
    """Refuse with `message` (naming %(number)s and %(state)s) for a copy in
    the wrong state."""
    raise DocumentsRefused(message % {"number": copy.control_number, "state": copy.get_state_display()})


def refuse_unless_archivist(user):
    if not policies.may_distribute(user):
        raise DocumentsRefused(_("Only the archivist issues, replaces and records controlled copies."))
