"""What the documents screens, registers and panels read. Each part adds
its functions under a comment naming it."""
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
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


# DESK: the archivist's distribution desk and a document's page (R-CTRL-1..6).
# The desk's groups of documents; a time-limited document past its date is
# ended even before the daily job marks it lapsed (R-CTRL-5).
DESK_GROUPS = ("ready", "in_force", "awaiting", "ended")


def _desk_group_conditions(today):
    expired = policies.past_end_condition(today)
    return {
        "ready": Q(state=DocumentState.READY) & ~expired,
        "in_force": Q(state=DocumentState.IN_FORCE) & ~expired,
        "awaiting": Q(state=DocumentState.AWAITING_COUNTERSIGN),
        "ended": Q(state__in=[
            DocumentState.VOID, DocumentState.LAPSED, DocumentState.SUPERSEDED, DocumentState.COUNTERSIGN_REFUSED,
        ]) | expired,
    }


def desk_group_counts(today=None):
    """{group: how many documents}, in one query."""
    conditions = _desk_group_conditions(today or timezone.localdate())
    return ControlledDocument.objects.aggregate(
        all=Count("pk"), **{group: Count("pk", filter=condition) for group, condition in conditions.items()}
    )


def desk_documents(*, group="", q="", today=None):
    """The desk's list: documents of `group` (every one when empty), found
    by a part of the title, the document number or a copy's controlled
    number, with their copies out and copies in all; newest first."""
    documents = ControlledDocument.objects.all()
    if group in DESK_GROUPS:
        documents = documents.filter(_desk_group_conditions(today or timezone.localdate())[group])
    q = q.strip()
    if q:
        with_copy = ControlledCopy.objects.filter(document=OuterRef("pk"), control_number__icontains=q)
        documents = documents.filter(Q(title__icontains=q) | Q(reference__icontains=q) | Exists(with_copy))
    return (
        documents.select_related("drafting_department")
        .annotate(
            copies_out=Count("copies", filter=Q(copies__state__in=policies.COPY_OUT_STATES, copies__purge__isnull=True)),
            copies_all=Count("copies", filter=Q(copies__purge__isnull=True)),
        )
        .order_by("-year", "-serial")
    )


def desk_lost_copies():
    """The lost copies to reissue (lost_copies_to_reissue), oldest first."""
    return (
        lost_copies_to_reissue()
        .select_related("document", "recipient_user", "recipient_department")
        .order_by("lost_on", "pk")
    )


def desk_revisions_awaiting():
    """Revisions waiting for the head's countersignature (R-CTRL-6)."""
    return (
        ControlledDocument.objects.filter(state=DocumentState.AWAITING_COUNTERSIGN)
        .select_related("drafting_department", "marked_by")
        .order_by("marked_at", "pk")
    )


def document_lines(document):
    """A document's distribution register lines (one per copy, purged lines
    left out, R-CTRL-7) with their recipient, holder, the copy that
    replaced a lost one and the number of downloads, in one query."""
    return (
        ControlledCopy.objects.filter(document=document, purge__isnull=True)
        .select_related(
            "recipient_user", "recipient_department", "holder", "signature_recorded_by", "replaces", "replaced_by",
        )
        .annotate(download_count=Count("downloads"))
        .order_by("copy_number")
    )


# LIFE: recalls, revisions and the register's retention (R-CTRL-5..7).
def valid_documents(today=None):
    """The controlled documents in force (the 受控文件清单): not void,
    lapsed or superseded, and a time-limited one only until its date even
    before the daily job marks it lapsed (R-CTRL-5)."""
    today = today or timezone.localdate()
    return ControlledDocument.objects.filter(state__in=policies.VALID_STATES).exclude(policies.past_end_condition(today))


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


# DESK (continued): damaged copies the archivist replaces (R-CTRL-4).
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


# HOLDER: the holder's copies, the 受控文件清单 and what the home panel counts.
# What waits for the holder first: copies to sign for, then to hand back.
_COPY_URGENCY = Case(
    When(state=CopyState.ISSUED, then=Value(0)),
    When(state=CopyState.RECALLED, then=Value(1)),
    When(state=CopyState.SIGNED, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def my_copies(user):
    """The copies `user` holds or may sign for: addressed to them, or to
    their department and not yet signed for by anyone, or signed for by
    them (R-CTRL-2). Lines disposed of by an approved purge list are gone
    from every view (R-CTRL-7)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return ControlledCopy.objects.none()
    mine = Q(holder_id=user.pk) | Q(holder__isnull=True, recipient_user_id=user.pk)
    if user.department_id is not None:
        mine |= Q(holder__isnull=True, recipient_user__isnull=True, recipient_department_id=user.department_id)
    return ControlledCopy.objects.filter(mine, purge__isnull=True)


def my_copies_listed(user):
    """my_copies with what the list shows, the copies waiting for the holder first."""
    return (
        my_copies(user)
        .select_related("document", "document__drafting_department", "recipient_user", "recipient_department", "holder")
        .annotate(urgency=_COPY_URGENCY)
        .order_by("urgency", "-issued_at", "-pk")
    )


def valid_documents_listed(today=None, query=""):
    """valid_documents with the number of copies out, searched by title,
    document number or drafting department."""
    documents = valid_documents(today)
    query = query.strip()
    if query:
        documents = documents.filter(
            Q(title__icontains=query) | Q(reference__icontains=query) | Q(drafting_department__name__icontains=query)
        )
    return (
        documents.select_related("drafting_department")
        .annotate(copies_out=Count("copies", filter=Q(copies__state__in=policies.COPY_OUT_STATES)))
        .order_by("year", "serial")
    )


def copies_to_sign(user):
    return my_copies(user).filter(state=CopyState.ISSUED)


def copies_to_return(user):
    """Recalled copies the holder still has to hand back to the archivist (R-CTRL-5)."""
    return my_copies(user).filter(state=CopyState.RECALLED)


def lost_copies_to_reissue():
    """Copies reported lost with no new copy yet, of documents still
    distributable (R-CTRL-3)."""
    return ControlledCopy.objects.filter(
        state=CopyState.LOST, replaced_by__isnull=True, document__state__in=policies.DISTRIBUTABLE_STATES
    )


def documents_to_distribute():
    return ControlledDocument.objects.filter(state=DocumentState.READY)


def revisions_to_countersign(user):
    """Revisions awaiting the head's countersignature, never their own (R-CTRL-6)."""
    return desk_revisions_awaiting().exclude(marked_by_id=user.pk)


def purges_to_decide(user):
    """Purge lists awaiting the head's approval, never their own proposal (R-CTRL-7)."""
    return RegisterPurge.objects.filter(state=PurgeState.PROPOSED).exclude(proposed_by_id=user.pk)
