"""Shared helpers of the lending services: row locks (select_for_update; on
SQLite the IMMEDIATE transaction serialises writers instead), input checks
that raise LendingRefused with a message for the user, and the
archivist-only check (R-LEND-1). The services save through
core.history.save_with_history with a lending.reasons.LendingReason."""

from django.utils import timezone
from django.utils.translation import gettext as _

from lending import policies
from lending.exceptions import LendingRefused
from lending.models import Loan, LoanRequest
from records.models import Record

TEXT_MAX_LENGTH = 300


def _text(value, label, *, required=True):
    value = (value or "").strip()
    if required and not value:
        raise LendingRefused(label)
    if len(value) > TEXT_MAX_LENGTH:
        raise LendingRefused(_("Keep it under %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH})
    return value


def _locked_request(request):
    # of=("self",): PostgreSQL locks no joined row, and refuses FOR UPDATE on
    # the nullable side of a join (the requester's department).
    related = LoanRequest.objects.select_related("requester__department", "record")
    return related.select_for_update(of=("self",)).get(pk=request.pk)


def _locked_loan(loan):
    related = Loan.objects.select_related("borrower", "record", "request")
    return related.select_for_update(of=("self",)).get(pk=loan.pk)


def _locked_record(record_id):
    return Record.objects.select_for_update().get(pk=record_id)


def _refuse_state(request, message):
    raise LendingRefused(message % {"state": request.get_state_display(), "record": request.record})


def _require_handler(by):
    if not policies.may_handle(by):
        # R-LEND-1
        raise LendingRefused(_("Only the archivist hands records out and takes them back."))


def _as_int(value, label):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise LendingRefused(_("%(field)s: enter a whole number.") % {"field": label}) from None
    if number < 0:
        raise LendingRefused(_("%(field)s: not below zero.") % {"field": label})
    return number


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
