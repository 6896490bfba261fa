"""Downloads of stamped electronic copies (R-CTRL-2, R-CTRL-5).

Only the holder downloads their copy, once signed for; the archivist
downloads the reference copy a void document keeps, stamped 作废. Every
download is logged (CopyDownload), so a leaked file or printout names its
copy and the log says who took it and when.

Stamping a long document takes a moment: it is done outside the
transaction, and the transaction that writes the log row then locks the
copy and asks the rule again, so a copy recalled meanwhile is not handed
out and nothing holds the database while pages are stamped. The stamped
copy is handed back as an open temporary file (never whole in memory),
which the view streams and closes."""
from django.db import transaction
from django.utils.translation import gettext as _

from documents import policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, CopyDownload, CopyState
from documents.stamping import stamp_copies


def copy_download(*, copy, by):
    """(file name, stamped PDF as an open file the caller closes) of the
    holder's copy; logged (R-CTRL-2)."""
    _check_download(copy, by)
    return _file_name(copy), _stamped_and_logged(copy, by, check=_check_download, as_reference=False)


def reference_download(*, copy, by):
    """(file name, PDF stamped 作废 as an open file the caller closes) of a
    void document's reference copy, for the archivist; logged as a
    reference download (R-CTRL-5)."""
    _check_reference(copy, by)
    return _file_name(copy), _stamped_and_logged(copy, by, check=_check_reference, as_reference=True)


def _check_download(copy, by):
    if policies.may_download(by, copy):
        return
    if policies.is_holder(by, copy) or policies.may_sign_for(by, copy):
        if copy.state == CopyState.ISSUED:
            raise DocumentsRefused(
                _("Sign for copy %(number)s before downloading it.") % {"number": copy.control_number}
            )
        raise DocumentsRefused(
            _("Copy %(number)s can no longer be downloaded (%(state)s).")
            % {"number": copy.control_number, "state": copy.get_state_display()}
        )
    raise DocumentsRefused(
        _("Only the holder of copy %(number)s may download it.") % {"number": copy.control_number}
    )


def _check_reference(copy, by):
    if not policies.may_download_reference(by, copy):
        raise DocumentsRefused(
            _("Only the reference copy of a void document can be downloaded here, by the archivist.")
        )


def _stamped_and_logged(copy, by, *, check, as_reference):
    """The stamped file, once the download is logged; deleted if the rule
    refuses it meanwhile."""
    # The reference copy is the void one, stamped 作废 (R-CTRL-5).
    [(_copy, stamped)] = stamp_copies(copy.document, [copy], void=as_reference)
    try:
        _log(copy, by, check=check, as_reference=as_reference)
    except BaseException:
        stamped.close()
        raise
    return stamped


@transaction.atomic
def _log(copy, by, *, check, as_reference):
    locked = (
        ControlledCopy.objects.select_for_update(of=("self",))
        .select_related("document", "holder", "recipient_user", "recipient_department")
        .get(pk=copy.pk)
    )
    check(locked, by)
    CopyDownload.objects.create(copy=locked, by=by, as_reference=as_reference)


def _file_name(copy):
    return f"{copy.document.title}（{copy.control_number}）.pdf"
