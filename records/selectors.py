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


def visibility_condition(user, *, through=""):
    """`visibility_scope` as a filter on Record, or on a model that points
    at one when `through` names the path ("record__"): a join the database
    can plan together with the rest of the query, where `record__in=
    visible_records(...)` would build the whole visible archive as a
    subquery. Q() for a user who sees everything; None for one who sees
    nothing."""
    scope = visibility_scope(user)
    if scope is None:
        return None
    if scope.sees_everything:
        return Q()

    def field(name):
        return f"{through}{name}"

    # An empty Q() vanishes when OR-ed, so each branch builds a real condition.
    if scope.every_state:
        allowed = Q(**{field("pk__isnull"): False})
    else:
        allowed = Q(**{field("status__in"): RecordStatus.catalogued()})
    if scope.levels is not None:
        allowed &= Q(**{field("security_level__in"): scope.levels}) | Q(
            **{field("pk__in"): scope.granted_record_ids}
        )
    own_submissions = Q(
        **{field("submitted_by_id"): scope.user_id, field("status__in"): RecordStatus.before_filing()}
    )
    return allowed | own_submissions


def visible_records(user, queryset=None):
    """Records `user` may know exist (see `visibility_scope`)."""
    queryset = Record.objects.all() if queryset is None else queryset
    condition = visibility_condition(user)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def newest_filed(records, limit=20):
    """The latest filed of `records` (a `visible_records` queryset). The
    index record_newest_filed (filed_at, id) gives them in this order, so
    the database reads the newest rows until it has `limit` visible ones
    instead of sorting the whole visible archive."""
    return (
        records.filter(status__in=RecordStatus.catalogued())
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
