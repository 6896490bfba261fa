"""Records' notices: its wording for what filing tells a person. Each goes
out through accounts.notices.notify (an in-app notice written in the
caller's transaction, mailed after it commits)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.notices import notices_resolve, notify


def returned_subject(record):
    return f"records.returned:{record.pk}"


def submission_returned(record, by):
    """To the submitter: the archivist sent their item back, why, and the
    link to put it right (R-FILE-3)."""
    if record.submitted_by is None:
        return None
    text = _("%(name)s returned «%(title)s»; please correct it and submit it again. Reason: %(reason)s") % {
        "title": record.title,
        "name": by.display_name,
        "reason": record.return_reason,
    }
    url = reverse("submission_edit", args=[record.pk])
    return notify(record.submitted_by, text, url, returned_subject(record))


def submission_resubmitted(record):
    """The returned item was submitted again: its notice is settled."""
    return notices_resolve(subject=returned_subject(record))
