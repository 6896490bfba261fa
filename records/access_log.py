"""Traceability of access to confidential records (R-ACCESS, R-LEND-4):
every time a confidential record is opened, listed, printed or exported,
whoever did it leaves one AccessLog row per record, with where. Other
records are not logged. The log is append-only."""
from records.models import AccessAction, AccessLog, SecurityLevel


def log_access(*, user, record, action, attachment=None, where=""):
    """Log one record opened (VIEW, BACK_OFFICE) or one file downloaded
    (DOWNLOAD, with the attachment). Returns the new row, or None when the
    record is not confidential."""
    if not record.is_confidential:
        return None
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}.")
    return AccessLog.objects.create(
        user=user, record=record, action=action, attachment=attachment, where=str(where)[:200]
    )


def log_access_many(*, user, records, action, where=""):
    """Log the confidential records among `records` (a queryset or an
    iterable of records) shown together: a search result page, a register,
    an export. One row per record, written in one query; returns how many."""
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}.")
    if hasattr(records, "filter"):
        record_ids = list(records.filter(security_level=SecurityLevel.CONFIDENTIAL).values_list("pk", flat=True))
    else:
        record_ids = [record.pk for record in records if record.is_confidential]
    where = str(where)[:200]
    AccessLog.objects.bulk_create(
        AccessLog(user=user, record_id=record_id, action=action, where=where) for record_id in record_ids
    )
    return len(record_ids)
