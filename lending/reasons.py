"""Reasons the lending services write into history, on records and on the
lending rows (requests, approvals, loans, extensions, incidents); added to
core.history's registry by LendingConfig.ready()."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class LendingReason(models.TextChoices):
    LOAN_REQUESTED = "loan_requested", _("Requested")
    LOAN_SIGNED = "loan_signed", _("Signed")
    LOAN_APPROVED = "loan_approved", _("Approved")
    LOAN_REFUSED = "loan_refused", _("Refused")
    LOAN_CANCELLED = "loan_cancelled", _("Cancelled by the requester")
    LOAN_SENT_BACK = "loan_sent_back", _("Sent back for approval: the rules now ask for another signature")
    # R-LEND-4
    VIEW_GRANTED = "view_granted", _("Access granted for viewing")
    # R-LEND-1
    VIEW_SHOWN = "view_shown", _("Shown in place by the archivist")
    # R-LEND-6
    LOAN_RETURNED = "loan_returned", _("Returned and checked")
    # R-LEND-5: the archivist's 催还 of an overdue loan
    LOAN_REMINDED = "loan_reminded", _("Borrower reminded to return")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    # R-LEND-2
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    # R-LEND-5
    INCIDENT_OPENED = "incident_opened", _("Incident opened")
    INCIDENT_RESOLVED = "incident_resolved", _("Incident resolved")
