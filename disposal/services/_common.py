"""Shared helpers of the disposal services: the list's row lock (taken
first by every service that changes a list or its items, so that two steps
on one list wait for each other), text input refused with a message for
the user, and the re-check of every live item under the records' locks."""
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from core.text_input import field_text
from disposal import checks, notices, policies
from disposal.exceptions import DisposalRefused, ItemsRefused
from disposal.models import DisposalList, ListItem, Witness
from disposal.reasons import DisposalReason


def locked_list(disposal_list):
    """Re-read the list under a row lock, before any check."""
    return DisposalList.objects.select_for_update().get(pk=disposal_list.pk)


def refuse_if_moved_on(seen, locked):
    """The caller's copy of the list (`seen`, read when the page was shown)
    against the locked row: a list that moved on meanwhile (another
    approver signed, it was returned) is refused, so two people deciding
    at once never both act on it."""
    if seen.state != locked.state:
        raise DisposalRefused(
            _("List %(number)s changed while you were looking at it: it is now “%(state)s”. Open it again.")
            % {"number": locked.number, "state": locked.get_state_display()}
        )


def text(value, *, model=DisposalList, field, missing=None, multiline=True):
    """The text as written (core.text_input.field_text), refused as DisposalRefused."""
    return field_text(value, model=model, field=field, refusal=DisposalRefused, missing=missing, multiline=multiline)


def item_text(value, *, field, missing=None):
    return text(value, model=ListItem, field=field, missing=missing)


def refuse_problems(problems, records_by_id, message):
    """Raise ItemsRefused naming each record of `problems` with its reasons."""
    if problems:
        numbers = {pk: records_by_id[pk].archive_number for pk in problems if pk in records_by_id}
        raise ItemsRefused(message % {"problems": checks.describe_problems(problems, numbers)}, problems=problems)


def recheck_live_items(disposal_list, *, executing=False):
    """Lock the records of every live item and check them again: a record
    lent, put on hold, missing or changed since it was listed is refused,
    naming its archive number, and nothing changes (R-DISP-1..3).
    Returns (live items, {record_id: locked Record})."""
    items = list(policies.live_items(disposal_list).order_by("pk"))
    records = checks.lock_records(item.record_id for item in items)
    today = timezone.localdate() if executing else None
    problems = checks.recheck_problems(items, records, today=today)
    refuse_problems(
        problems,
        records,
        _("These records can no longer be disposed of as listed: %(problems)s. "
          "Strike them off the list with a reason, or return the list."),
    )
    return items, records


def refuse_state(disposal_list, message):
    raise DisposalRefused(message % {"number": disposal_list.number, "state": disposal_list.get_state_display()})


def withdraw_confirmations(disposal_list, by):
    """Witnesses confirmed the destruction of the list as it was: when it
    changes (returned, an item to destroy struck off, the destruction
    recorded anew) they confirm again (R-DISP-3), and the list cannot be
    executed until they have: "it can be executed" no longer stands."""
    confirmed = Witness.objects.filter(
        destruction__disposal_list=disposal_list, replaced_at__isnull=True, confirmed_at__isnull=False
    )
    withdrawn = 0
    for witness in confirmed.order_by("pk"):
        witness.confirmed_at = None
        save_with_history(witness, by=by, reason=DisposalReason.WITNESS_RESET)
        withdrawn += 1
    if withdrawn:
        notices.execution_handled(disposal_list)
