"""Reads of the disposal screens (disposal.views), each set-based: the
year-end appraisal of tens of thousands of due records takes a few queries
per 5,000 of them and one for the page shown, never one per record.

What is due and what keeps a record are asked of disposal.selectors
(due_records) and records.disposability (blockers_for), plus the open
lists: the screens show what the services (disposal.checks) would refuse."""
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import pgettext

from disposal import policies, selectors
from disposal.models import Destruction, DisposalList, ItemAction, ListItem, ListState, Witness
from records.disposability import blockers_for
from records.models import Attachment, Category, Record

# Items of a list named on a confirmation page; the rest are counted.
SHOWN_ON_CONFIRMATION = 50


@dataclass
class Group:
    """One class and year of the appraisal: how many records are due, and
    how many of them cannot be disposed of."""

    category: Category
    year: int
    due: int = 0
    blocked: int = 0

    @property
    def listable(self):
        return self.due - self.blocked


@dataclass
class Appraisal:
    """The records due at the end of `year` (R-DISP-2), in class and year
    order, split into those that may be listed and those kept, with why."""

    year: int
    listable: list = field(default_factory=list)  # record ids
    blocked: list = field(default_factory=list)  # record ids
    problems: dict = field(default_factory=dict)  # record id -> [reasons]
    groups: list = field(default_factory=list)

    @property
    def due_count(self):
        return len(self.listable) + len(self.blocked)


def undisposable(record_ids):
    """{record id: [reasons]} of the records that cannot be put on a list:
    whatever records.disposability says keeps them (a hold, a loan or a
    request, missing, permanent), and another open list (R-DISP-2)."""
    problems = {pk: list(reasons) for pk, reasons in blockers_for(record_ids).items()}
    wanted = set(record_ids)
    # Every open item at once, without the ids: fewer than the records due,
    # and one query where asking by chunks of ids took twenty at 100,000.
    open_items = ListItem.objects.filter(struck_off=False, carried_out_at__isnull=True).order_by()
    for pk, number in open_items.values_list("record_id", "disposal_list__number"):
        if pk not in wanted:
            continue
        problems.setdefault(pk, []).append(
            pgettext("why a record cannot be listed", "already on list %(number)s") % {"number": number}
        )
    return problems


def appraisal(year, category=None):
    """The year-end appraisal of `year`, of one class (and its sub-classes)
    or of all: every record on the books whose retention ends by 31
    December and every weeded record (disposal.selectors.due_records)."""
    due = selectors.due_records(year)
    if category is not None:
        due = due.filter(category_id__in=category.descendant_ids())
    rows = list(due.order_by("category__code", "year", "item_number", "pk").values_list("pk", "category_id", "year"))
    result = Appraisal(year=year, problems=undisposable([pk for pk, _category, _year in rows]))
    categories = Category.objects.in_bulk({category_id for _pk, category_id, _year in rows})
    groups = {}
    for pk, category_id, record_year in rows:
        group = groups.get((category_id, record_year))
        if group is None:
            group = groups[category_id, record_year] = Group(categories[category_id], record_year)
        group.due += 1
        if pk in result.problems:
            group.blocked += 1
            result.blocked.append(pk)
        else:
            result.listable.append(pk)
    result.groups = list(groups.values())
    return result


def records_in_order(record_ids):
    """The records of `record_ids` (a page of them), in that order, with
    their class, location and number of files (one query)."""
    rows = (
        Record.objects.filter(pk__in=list(record_ids))
        .select_related("category", "location")
        .annotate(file_count=Count("attachments"))
    )
    by_pk = {record.pk: record for record in rows}
    return [by_pk[pk] for pk in record_ids if pk in by_pk]


def editable_lists(user, kind, year=None):
    """The drafter's own lists of `kind` still open to changes (draft or
    returned), newest first: where the screens add records."""
    if not policies.may_draft(user):
        return DisposalList.objects.none()
    lists = DisposalList.objects.filter(drafted_by=user, kind=kind, state__in=ListState.editable())
    if year is not None:
        lists = lists.filter(year=year)
    return lists.order_by("-created_at", "-pk")


def _live_destroy():
    return ListItem.objects.filter(
        disposal_list=OuterRef("pk"), action=ItemAction.DESTROY, struck_off=False, carried_out_at__isnull=True
    )


def lists_to_execute():
    """Approved lists waiting for the archivist: leadership signed, or the
    head signed a list that destroys nothing but transfers (R-DISP-3)."""
    waiting = Q(state=ListState.LEADERSHIP_APPROVED) | Q(~Exists(_live_destroy()), state=ListState.HEAD_APPROVED)
    return DisposalList.objects.filter(waiting).order_by("leadership_approved_at", "head_approved_at", "pk")


def returned_lists(user):
    """Lists returned to `user`, their drafter, to be changed and sent again."""
    return DisposalList.objects.filter(drafted_by=user, state=ListState.RETURNED).order_by("-returned_at", "-pk")


def item_counts(disposal_list):
    """How many items of the list: still proposed ({action: n}), carried
    out ({action: n}) and struck off, in one query."""
    counts = {"live": {}, "carried": {}, "struck": 0}
    rows = (
        disposal_list.items.values("action", "struck_off", carried=Q(carried_out_at__isnull=False))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["struck_off"]:
            counts["struck"] += row["n"]
        else:
            bucket = counts["carried"] if row["carried"] else counts["live"]
            bucket[row["action"]] = bucket.get(row["action"], 0) + row["n"]
    return counts


def items_of(disposal_list, *, struck_off):
    """The list's items (struck off or not) with their records, in class
    and year order, for a page of the list."""
    return (
        disposal_list.items.filter(struck_off=struck_off)
        .select_related("record__category", "record__location", "struck_by")
        .annotate(file_count=Count("record__attachments"))
        .order_by("record__category__code", "record__year", "record__item_number", "pk")
    )


def live_items(disposal_list):
    return policies.live_items(disposal_list).select_related("record__category", "record__location").order_by(
        "record__category__code", "record__year", "record__item_number", "pk"
    )


def files_to_destroy(disposal_list):
    """Electronic files the execution of the list turns into tombstones."""
    return Attachment.objects.filter(
        destroyed_at__isnull=True,
        record__disposal_items__disposal_list=disposal_list,
        record__disposal_items__action=ItemAction.DESTROY,
        record__disposal_items__struck_off=False,
        record__disposal_items__carried_out_at__isnull=True,
    ).count()


def current_witnesses(destruction):
    if destruction is None:
        return []
    return list(destruction.witnesses.filter(replaced_at__isnull=True).select_related("user").order_by("pk"))


def destruction_of_list(disposal_list):
    return (
        Destruction.objects.filter(disposal_list=disposal_list).select_related("executor", "recorded_by").first()
    )


def witnessed_by(user):
    """Every current witness row of `user`, waiting ones first."""
    return (
        Witness.objects.filter(user=user, replaced_at__isnull=True)
        .select_related("destruction__disposal_list", "destruction__executor")
        .order_by(F("confirmed_at").desc(nulls_first=True), "-destruction__date", "-pk")
    )


def record_items(record):
    """The record's items not struck off, newest first: the one carried out
    (weeded, destroyed, transferred) and the open one, for its page."""
    return list(
        ListItem.objects.filter(record=record, struck_off=False)
        .select_related("disposal_list__destruction")
        .order_by("-pk")[:5]
    )


def lists_filtered(*, kind=None, state=None, year=None):
    lists = DisposalList.objects.select_related("drafted_by")
    if kind:
        lists = lists.filter(kind=kind)
    if state:
        lists = lists.filter(state=state)
    if year:
        lists = lists.filter(year=year)
    return lists.annotate(
        item_count=Count("items", filter=Q(items__struck_off=False), distinct=True),
    ).order_by("-created_at", "-pk")

