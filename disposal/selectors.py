"""Reads for the disposal screens: what is due at a year end (R-DISP-2),
which of it may be listed and why not, what waits for whom. Whether a
record is held, lent or missing is asked of records
(records.disposability), never of the app that caused it."""
from django.db.models import Exists, OuterRef, Q

from disposal import checks, policies
from disposal.models import DisposalList, ItemAction, ListItem, ListKind, ListState, Witness
from records.models import Hold, Record, RecordStatus
from records.selectors import visibility_condition


def due_records(year):
    """Every record on the books whose retention ends on or before 31
    December of `year`, and every weeded record (R-DISP-1: weeded records
    wait for the next appraisal list), ordered by class and year."""
    due = Q(status__in=RecordStatus.on_the_books(), retention_expires_on__lte=checks.end_of_year(year))
    return Record.objects.filter(due | Q(status=RecordStatus.WEEDED)).order_by("category__code", "year", "item_number")


class _Probe:
    """The list a record would join, for checks.listing_problems: a kind,
    a year, and no list of its own to leave out."""

    def __init__(self, kind, year, exclude=None):
        self.kind, self.year, self.pk = kind, year, getattr(exclude, "pk", None)


def appraisal_candidates(year, *, disposal_list=None, records=None):
    """(listable ids, {record id: [reasons]}) among `records` (default:
    due_records(year)) for an appraisal list of `year`: the undisposable
    ones with why (on loan or requested, held, missing, permanent, on an
    open list) are shown apart (R-DISP-2). Set-based: a few queries per
    5,000 records."""
    rows = list(due_records(year) if records is None else records)
    probe = disposal_list or _Probe(ListKind.APPRAISAL, year)
    problems = checks.listing_problems(probe, rows)
    return [record.pk for record in rows if record.pk not in problems], problems


def weeding_candidates(records, *, disposal_list):
    """(listable ids, {record id: [reasons]}) among `records` for a weeding
    list (R-DISP-1): any record on the shelf that nothing keeps."""
    rows = list(records)
    problems = checks.listing_problems(disposal_list, rows)
    return [record.pk for record in rows if record.pk not in problems], problems


def lists_waiting_for(user):
    """Lists `user` may sign now (disposal.policies.may_approve), oldest
    first: the approver's inbox and home panel."""
    if not (user.is_authenticated and user.is_active):
        return DisposalList.objects.none()
    waiting = Q(pk__in=[])
    if user.has_perm(policies.APPROVE_DISPOSAL):
        waiting |= Q(state=ListState.SUBMITTED)
    if user.has_perm(policies.APPROVE_DESTRUCTION):
        destroys = ListItem.objects.filter(
            disposal_list=OuterRef("pk"), action=ItemAction.DESTROY, struck_off=False, carried_out_at__isnull=True
        )
        waiting |= Q(Exists(destroys), state=ListState.HEAD_APPROVED)
    lists = DisposalList.objects.filter(waiting).exclude(drafted_by=user).exclude(head_approved_by=user)
    return lists.select_related("drafted_by").order_by("submitted_at", "pk")


def confirmations_waiting_for(user):
    """The destructions `user` is asked to confirm as witness (R-DISP-3)."""
    return (
        Witness.objects.filter(
            user=user,
            replaced_at__isnull=True,
            confirmed_at__isnull=True,
            destruction__disposal_list__state__in=[ListState.LEADERSHIP_APPROVED],
        )
        .select_related("destruction__disposal_list", "destruction__executor")
        .order_by("destruction__date", "pk")
    )


def destruction_of(record):
    """(Destruction, list) under which `record` was destroyed, or (None,
    None): the record page's "destroyed on …, list XH-…" (R-DISP-3)."""
    item = (
        ListItem.objects.filter(record=record, action=ItemAction.DESTROY, carried_out_at__isnull=False)
        .select_related("disposal_list__destruction")
        .first()
    )
    if item is None:
        return None, None
    return getattr(item.disposal_list, "destruction", None), item.disposal_list


def visible_holds(user):
    """Holds on the records `user` may see (records.selectors: the same
    visibility rule as the record pages): the holds list and the to-do
    line of holds past their end."""
    condition = visibility_condition(user, through="record__")
    if condition is None:
        return Hold.objects.none()
    return Hold.objects.filter(condition)
