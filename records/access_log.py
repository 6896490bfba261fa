"""Traceability of access to confidential records (R-ACCESS, R-LEND-4)."""
from records.models import AccessAction, AccessLog


def log_access(*, user, record, action, attachment=None):
    """Write who opened or downloaded what, when the record is confidential;
    other records are not logged. Returns the new AccessLog row or None.

    The record page calls it with AccessAction.VIEW, the download view with
    AccessAction.DOWNLOAD and the attachment."""
    if not record.is_confidential:
        return None
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}.")
    return AccessLog.objects.create(user=user, record=record, action=action, attachment=attachment)
