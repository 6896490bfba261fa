"""What the documents screens, registers and panels read. Each part adds
its functions under a comment naming it."""
from django.db.models import Q
from django.utils import timezone

from documents import policies
from documents.models import ControlledCopy, ControlledDocument, CopyState, DocumentState, PurgeState, RegisterPurge


# CORR: the correspondence registers (R-SCOPE 3–4).
def correspondence_lines(*, direction=None, year=None, q=""):
    """Register lines, newest first, with what a list or a register prints
    (sender, handler, filed record, receivers) in a fixed number of queries;
    `q` finds a part of the title or the number."""
    from django.db.models import Prefetch

    from accounts.models import Department
    from documents.models import Correspondence

    rows = Correspondence.objects.select_related("sender", "handler", "record")
    if direction:
        rows = rows.filter(direction=direction)
    if year:
        rows = rows.filter(year=year)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(number__icontains=q))
    return rows.prefetch_related(
        Prefetch("receivers", queryset=Department.objects.order_by("code").only("pk", "code", "name"))
    )


# LIFE: recalls, revisions and the register's retention (R-CTRL-5..7).
def valid_documents(today=None):
    """The controlled documents in force (the 受控文件清单): not void,
    lapsed or superseded, and a time-limited one only until its date even
    before the daily job marks it lapsed (R-CTRL-5)."""
    today = today or timezone.localdate()
    return ControlledDocument.objects.filter(state__in=policies.VALID_STATES).exclude(valid_until__lt=today)


def outstanding_recalls():
    return ControlledCopy.objects.filter(state=CopyState.RECALLED, purge__isnull=True)


def outstanding_recalls_listed():
    """outstanding_recalls with what the list shows, the oldest recall
    first, in a fixed number of queries (R-CTRL-5)."""
    return outstanding_recalls().select_related(
        "document", "recipient_user", "recipient_department", "holder"
    ).order_by("recalled_at", "document_id", "copy_number")


def revision_history(document):
    """Every revision of `document`, the first to the latest, following the
    `supersedes` chain both ways (R-CTRL-6); a refused revision lets go of
    the chain and is not part of it. One query per revision: a document has
    a handful."""
    revisions = ControlledDocument.objects.select_related("marked_by", "countersigned_by")
    earlier = []
    current = document
    while current.supersedes_id is not None:
        current = revisions.get(pk=current.supersedes_id)
        earlier.append(current)
    later = []
    current = document
    while (current := revisions.filter(supersedes_id=current.pk).first()) is not None:
        later.append(current)
    return [*reversed(earlier), document, *later]


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def lines_due_for_disposal(today=None, *, proposed_in=None):
    """Distribution register lines past their retention (R-CTRL-7), read
    from DocumentsPolicy: lines of a voided document once
    register_retention_after_void_years have passed since the day it was
    voided (a superseded revision counts as voided: its copies were
    recalled), lines of a lapsed time-limited document once
    register_retention_after_lapse_years have passed since the day after
    its last valid day (lapsed whether or not the daily job has run).
    Lines already disposed of or in a purge list awaiting the head (other
    than `proposed_in`) are left out. Fixed number of queries."""
    import datetime

    from documents.models import DocumentsPolicy

    today = today or timezone.localdate()
    policy = DocumentsPolicy.current()
    void_day = _years_before(today, policy.register_retention_after_void_years) + datetime.timedelta(days=1)
    voided_before = timezone.make_aware(datetime.datetime.combine(void_day, datetime.time()))
    voided = Q(
        document__state__in=(DocumentState.VOID, DocumentState.SUPERSEDED), document__ended_at__lt=voided_before
    )
    lapsed = Q(
        document__state__in=(DocumentState.LAPSED, DocumentState.READY, DocumentState.IN_FORCE),
        document__valid_until__lt=_years_before(today, policy.register_retention_after_lapse_years),
    )
    proposed = RegisterPurge.objects.filter(state=PurgeState.PROPOSED)
    if proposed_in is not None:
        proposed = proposed.exclude(pk=proposed_in.pk)
    return (
        ControlledCopy.objects.filter(voided | lapsed, purge__isnull=True)
        .exclude(purges_proposed__in=proposed)
        .select_related("document", "document__drafting_department", "recipient_user", "recipient_department", "holder")
        .order_by("document__year", "document__serial", "copy_number")
    )


def desk_damaged_copies():
    """Copies their holder reported damaged, not yet replaced (R-CTRL-4),
    oldest report first."""
    return (
        ControlledCopy.objects.filter(
            damage_reported_at__isnull=False, state__in=policies.COPY_OUT_STATES, purge__isnull=True
        )
        .select_related("document", "recipient_user", "recipient_department", "holder")
        .order_by("damage_reported_at", "pk")
    )
