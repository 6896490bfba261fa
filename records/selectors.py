"""Reads filtered by what the user may see. Lists, counts, search, exports and
PDFs all start from `visible_records`, so one function decides visibility."""
from django.db.models import Q

from records.models import AccessGrant, Record, RecordStatus, SecurityLevel


def can_see_confidential(user):
    """Leadership, the department head and the keeper (R-LEND-4)."""
    return user.has_perm("records.view_confidential")


def visible_records(user, queryset=None):
    """Records `user` may know exist.

    - public records: everyone signed in;
    - internal records: members of the department that owns the archive;
    - confidential records: holders of `records.view_confidential`, and
      anyone with an active access grant for that record (R-LEND-4);
    - items not yet filed: their submitter (whatever the level) and those
      who file records.
    """
    queryset = Record.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()

    sees_every_level = can_see_confidential(user)
    sees_every_state = user.has_perm("records.file_record")
    if sees_every_level and sees_every_state:
        return queryset

    # An empty Q() vanishes when OR-ed, so each branch builds a real condition.
    allowed = Q(status__in=RecordStatus.catalogued())
    if sees_every_state:
        allowed = Q(pk__isnull=False)
    if not sees_every_level:
        levels = [SecurityLevel.PUBLIC]
        if user.is_archive_department_member:
            levels.append(SecurityLevel.INTERNAL)
        granted = AccessGrant.objects.active().filter(user=user).values("record_id")
        allowed &= Q(security_level__in=levels) | Q(pk__in=granted)
    # Submitters follow what they handed in until it is filed (R-FILE-2).
    own_submissions = Q(submitted_by=user, status__in=RecordStatus.before_filing())
    return queryset.filter(allowed | own_submissions)


def newest_visible_records(user, limit=20):
    return (
        visible_records(user)
        .filter(status__in=RecordStatus.catalogued())
        .select_related("category", "location")
        .order_by("-filed_at", "-pk")[:limit]
    )
