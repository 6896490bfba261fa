"""Reads filtered by what the user may see. Lists, counts, search, exports and
PDFs all start from `visibility_scope`: `visible_records` renders it as a
queryset filter, the search index (records.search.query) as index markers,
so one function decides visibility. Holds are read here too: whether a
record is frozen is asked of records (active_holds, is_held), never of the
app that would strike it off."""
from dataclasses import dataclass

from django.db.models import Q

from records.models import AccessGrant, Hold, Record, RecordStatus, SecurityLevel


def can_see_confidential(user):
    """Leadership, the department head and the keeper (R-LEND-4)."""
    return user.has_perm("records.view_confidential")


@dataclass(frozen=True)
class VisibilityScope:
    """What one user may see.

    levels: the security levels seen in full, or None for every level;
    every_state: whether items not yet filed are seen (those who file);
    granted_record_ids: records seen through an active access grant;
    user_id: the submitter whose own unfiled items are seen."""

    user_id: int
    levels: frozenset | None
    every_state: bool
    granted_record_ids: tuple

    @property
    def sees_everything(self):
        return self.levels is None and self.every_state


def visibility_scope(user):
    """The rules, in one place (R-LEND-4, R-ACCESS, R-FILE-2):

    - public records: everyone signed in;
    - internal records: members of the department that owns the archive;
    - confidential records: holders of `records.view_confidential`, and
      anyone with an active access grant for that record;
    - items not yet filed: their submitter (whatever the level) and those
      who file records.

    None for a user who sees nothing (anonymous or inactive)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if can_see_confidential(user):
        levels, granted = None, ()
    else:
        levels = {SecurityLevel.PUBLIC}
        if user.is_archive_department_member:
            levels.add(SecurityLevel.INTERNAL)
        levels = frozenset(levels)
        granted = tuple(AccessGrant.objects.active().filter(user=user).values_list("record_id", flat=True))
    return VisibilityScope(
        user_id=user.pk,
        levels=levels,
        every_state=user.has_perm("records.file_record"),
        granted_record_ids=granted,
    )


def visible_records(user, queryset=None):
    """Records `user` may know exist (see `visibility_scope`)."""
    queryset = Record.objects.all() if queryset is None else queryset
    scope = visibility_scope(user)
    if scope is None:
        return queryset.none()
    if scope.sees_everything:
        return queryset

    # An empty Q() vanishes when OR-ed, so each branch builds a real condition.
    allowed = Q(pk__isnull=False) if scope.every_state else Q(status__in=RecordStatus.catalogued())
    if scope.levels is not None:
        allowed &= Q(security_level__in=scope.levels) | Q(pk__in=scope.granted_record_ids)
    own_submissions = Q(submitted_by_id=scope.user_id, status__in=RecordStatus.before_filing())
    return queryset.filter(allowed | own_submissions)


def newest_visible_records(user, limit=20):
    return (
        visible_records(user)
        .filter(status__in=RecordStatus.catalogued())
        .select_related("category", "location")
        .order_by("-filed_at", "-pk")[:limit]
    )


def active_holds(record):
    """The holds that freeze `record` now, oldest first. Every app asks here
    (or is_held) before it strikes a record off, removes its files or
    destroys it: disposal (issue 12) and inventory (issue 13)."""
    return Hold.objects.active().filter(record=record).order_by("placed_at", "pk")


def is_held(record):
    """Whether a hold keeps `record` from weeding, write-off and destruction."""
    return active_holds(record).exists()
