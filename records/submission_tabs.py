"""The tabs of 我的提交 (my submissions) by where the items stand: returned
items first, so a submitter sees at once what came back to put right
(R-FILE-3), then drafts, items waiting for the archivist and items on the
books. Counts of every tab are read in one query."""
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from records.models import RecordStatus

ALL = "all"
WAITING_STATES = (RecordStatus.RETURNED, RecordStatus.DRAFT, RecordStatus.SUBMITTED)
# (key, label, statuses; None = every status not waiting, i.e. on the books or off them)
TABS = (
    (RecordStatus.RETURNED.value, pgettext_lazy("submissions", "Returned"), (RecordStatus.RETURNED,)),
    (RecordStatus.DRAFT.value, _("Drafts"), (RecordStatus.DRAFT,)),
    (RecordStatus.SUBMITTED.value, _("Waiting to be received"), (RecordStatus.SUBMITTED,)),
    ("filed", _("Received by the archive"), None),
    (ALL, _("All"), ()),
)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int
    current: bool

    @property
    def query(self):
        return "" if self.key == ALL else f"?state={self.key}"


def chosen_tab(request):
    key = request.GET.get("state", ALL)
    return key if key in {tab[0] for tab in TABS} else ALL


def submission_tabs(records, current):
    """The tabs with how many of `records` each holds (one query)."""
    by_status = dict(records.order_by().values_list("status").annotate(count=Count("pk")))
    tabs = []
    for key, label, statuses in TABS:
        if statuses is None:
            count = sum(n for status, n in by_status.items() if status not in WAITING_STATES)
        elif statuses:
            count = sum(by_status.get(status, 0) for status in statuses)
        else:
            count = sum(by_status.values())
        tabs.append(Tab(key=key, label=str(label), count=count, current=key == current))
    return tabs


def in_tab(records, key):
    """The records of tab `key`, returned items on top, newest first."""
    statuses = dict((tab_key, tab_statuses) for tab_key, _label, tab_statuses in TABS)[key]
    if statuses is None:
        records = records.exclude(status__in=WAITING_STATES)
    elif statuses:
        records = records.filter(status__in=statuses)
    returned_first = Case(
        When(status=RecordStatus.RETURNED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return records.order_by(returned_first, "-created_at", "-pk")
