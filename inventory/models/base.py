from core import models as core_models
from core.models import DeletionRefused


class InventoryDeletionRefused(DeletionRefused):
    """Stocktakes, their scans and differences, write-offs and repair tasks
    are evidence (R-INV-1..3): they are never deleted."""


class NeverDeleted(core_models.NeverDeleted):
    """Base of every inventory model: no delete, neither of one row nor of
    a queryset."""

    deletion_refused = InventoryDeletionRefused
    deletion_message = "Inventory rows are never deleted."

    class Meta:
        abstract = True
