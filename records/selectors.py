"""Reads filtered by what the user may see. Lists, counts, search, exports and
PDFs all start from `visibility_scope`: `visible_records` renders it as a
queryset filter, the search index (records.search.query) as index markers,
`visible_pairs` checks it against many people's records at once, so one
function decides visibility. Holds are read here too: whether a record is
frozen is asked of records (active_holds, is_held), never of the app that
would strike it off."""
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Sum

from records.models import AccessGrant, Handover, Hold, Record, RecordStatus, SecurityLevel

VIEW_CONFIDENTIAL = "records.view_confidential"
FILE_RECORD = "records.file_record"
# Many people's permissions are read from their role groups through
# ModelBackend (User.objects.with_perm): the sign-in throttling backend
# (django-axes) grants none, so user.has_perm answers the same.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def can_see_confidential(user):
    """Leadership, the department head and the keeper (R-LEND-4)."""
    return user.has_perm(VIEW_CONFIDENTIAL)


def _holders(permission):
    """Active users holding `permission` (superusers hold every one), as user.has_perm answers."""
    return get_user_model().objects.with_perm(permission, backend=PERMISSION_BACKEND)


def confidential_readers(user_ids):
    """Those of `user_ids` who see confidential records (can_see_confidential
    of each, R-LEND-4), in one query."""
    return set(_holders(VIEW_CONFIDENTIAL).filter(pk__in=user_ids).values_list("pk", flat=True))


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


def _scope(user_id, *, sees_confidential, files_records, in_archive_department, grants):
    """The rules, in one place (R-LEND-4, R-ACCESS, R-FILE-2):

    - public records: everyone signed in;
    - internal records: members of the department that owns the archive;
    - confidential records: holders of `records.view_confidential`, and
      anyone with an active access grant for that record;
    - items not yet filed: their submitter (whatever the level) and those
      who file records.

    `in_archive_department` and `grants` (the record ids granted) are
    callables, asked only of someone who does not see every level."""
    if sees_confidential:
        levels, granted = None, ()
    else:
        levels = {SecurityLevel.PUBLIC}
        if in_archive_department():
            levels.add(SecurityLevel.INTERNAL)
        levels, granted = frozenset(levels), tuple(grants())
    return VisibilityScope(user_id=user_id, levels=levels, every_state=files_records, granted_record_ids=granted)


def visibility_scope(user):
    """What `user` may see (the rules: `_scope`). None for a user who sees
    nothing (anonymous or inactive)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return _scope(
        user.pk,
        sees_confidential=can_see_confidential(user),
        files_records=user.has_perm(FILE_RECORD),
        in_archive_department=lambda: user.is_archive_department_member,
        grants=lambda: AccessGrant.objects.active().filter(user=user).values_list("record_id", flat=True),
    )


# --- the scope as a condition on a record ---------------------------------
# One condition, written once (`_condition`), read two ways: as a queryset
# filter (`visibility_condition`) and against a record's values already
# read (`visible_pairs`).


@dataclass(frozen=True)
class _In:
    """The record's `field` is one of `values`."""

    field: str
    values: tuple

    def as_q(self, through):
        if len(self.values) == 1:
            (value,) = self.values
            return Q(**{f"{through}{self.field}": value})
        return Q(**{f"{through}{self.field}__in": self.values})

    def holds(self, row):
        return row[self.field] in self.values


@dataclass(frozen=True)
class _All:
    """Every term holds (no term: always)."""

    terms: tuple

    def as_q(self, through):
        # An empty Q() vanishes when OR-ed, so "always" is a real condition.
        if not self.terms:
            return Q(**{f"{through}pk__isnull": False})
        return reduce(and_, (term.as_q(through) for term in self.terms))

    def holds(self, row):
        return all(term.holds(row) for term in self.terms)


@dataclass(frozen=True)
class _Any:
    """At least one term holds."""

    terms: tuple

    def as_q(self, through):
        return reduce(or_, (term.as_q(through) for term in self.terms))

    def holds(self, row):
        return any(term.holds(row) for term in self.terms)


# What `_condition` reads of a record (`visible_pairs` reads these fields).
CONDITION_FIELDS = ("pk", "security_level", "status", "submitted_by_id")


def _condition(scope):
    """`scope` as a condition on a record: filed items (every state, for
    those who file) of a level seen or granted, or one's own items not yet
    filed (R-LEND-4, R-ACCESS, R-FILE-2)."""
    allowed = []
    if not scope.every_state:
        allowed.append(_In("status", tuple(RecordStatus.catalogued())))
    if scope.levels is not None:
        seen_level = _In("security_level", tuple(level for level in SecurityLevel if level in scope.levels))
        granted = _In("pk", tuple(scope.granted_record_ids))
        allowed.append(_Any((seen_level, granted) if scope.granted_record_ids else (seen_level,)))
    own_submissions = _All(
        (_In("submitted_by_id", (scope.user_id,)), _In("status", tuple(RecordStatus.before_filing())))
    )
    return _Any((_All(tuple(allowed)), own_submissions))


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
    return _condition(scope).as_q(through)


def visible_records(user, queryset=None):
    """Records `user` may know exist (see `visibility_scope`)."""
    queryset = Record.objects.all() if queryset is None else queryset
    condition = visibility_condition(user)
    if condition is None:
        return queryset.none()
    return queryset.filter(condition)


def _scopes_of(user_ids, record_ids):
    """{user id: VisibilityScope} of the active among `user_ids`, read for
    all of them together: the people with their permissions in one query,
    their grants in force for `record_ids` in another (a scope here knows
    only the grants among those records)."""
    people = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .annotate(
            sees_confidential=Exists(_holders(VIEW_CONFIDENTIAL).filter(pk=OuterRef("pk"))),
            files_records=Exists(_holders(FILE_RECORD).filter(pk=OuterRef("pk"))),
        )
        .values_list("pk", "sees_confidential", "files_records", "department__owns_archive")
    )
    people = list(people)
    granted = {}
    limited = [pk for pk, sees_confidential, _files, _member in people if not sees_confidential]
    if limited:
        in_force = AccessGrant.objects.active().filter(user_id__in=limited, record_id__in=record_ids)
        for user_id, record_id in in_force.values_list("user_id", "record_id"):
            granted.setdefault(user_id, set()).add(record_id)
    return {
        pk: _scope(
            pk,
            sees_confidential=sees_confidential,
            files_records=files_records,
            in_archive_department=lambda member=member: bool(member),
            grants=lambda pk=pk: sorted(granted.get(pk, ())),
        )
        for pk, sees_confidential, files_records, member in people
    }


def visible_pairs(pairs):
    """Which of `pairs` (user id, record id) the user may see now: the set
    of those pairs, by the rule `visible_records` applies (`_scope`,
    `_condition`), for any number of people and records in three queries
    (the people and their permissions, their grants, the records)."""
    pairs = set(pairs)
    if not pairs:
        return set()
    record_ids = {record_id for _user_id, record_id in pairs}
    scopes = _scopes_of({user_id for user_id, _record_id in pairs}, record_ids)
    conditions = {user_id: _condition(scope) for user_id, scope in scopes.items()}
    records = {row["pk"]: row for row in Record.objects.filter(pk__in=record_ids).values(*CONDITION_FIELDS)}
    return {
        (user_id, record_id)
        for user_id, record_id in pairs
        if user_id in conditions and record_id in records and conditions[user_id].holds(records[record_id])
    }


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


def visible_handovers(user):
    """The handovers `user` may open (records.policies.may_print_handover):
    every one for those holding records.view_handover, their own otherwise;
    newest first, each with how many items and pages it had."""
    handovers = Handover.objects.select_related("handed_over_by", "received_by").annotate(
        item_count=Count("items"), page_total=Sum("items__pages_received")
    )
    if not user.has_perm("records.view_handover"):
        handovers = handovers.filter(handed_over_by=user)
    return handovers.order_by("-received_at", "-pk")


def filter_handovers(handovers, *, q="", year=None):
    """Handovers whose number, or the name of who handed over or received,
    contains `q`; received in `year` (local time) when given."""
    if q:
        handovers = handovers.filter(
            Q(number__icontains=q)
            | Q(handed_over_by__full_name__icontains=q) | Q(handed_over_by__username__icontains=q)
            | Q(received_by__full_name__icontains=q) | Q(received_by__username__icontains=q)
        )
    if year:
        handovers = handovers.filter(received_at__year=year)
    return handovers
