"""Reasons the inventory services write into the history of stocktakes,
scans, differences, write-offs and repair tasks; added to core.history's
registry by InventoryConfig.ready(). What happens to a record itself is
written by records.services with records' own reasons (and the words given
here, such as the stocktake's number)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class InventoryReason(models.TextChoices):
    # R-INV-1
    STOCKTAKE_OPENED = "inventory_stocktake_opened", _("Stocktake opened")
    STOCKTAKE_CLOSED = "inventory_stocktake_closed", _("Stocktake closed")
    UNIT_OPENED = "inventory_unit_opened", _("Box taken into the stocktake")
    UNIT_COUNTED = "inventory_unit_counted", _("Box marked counted")
    UNIT_CLOSED = "inventory_unit_closed", _("Box closed with its stocktake")
    DIFFERENCE_RESOLVED = "inventory_difference_resolved", _("Difference resolved")
    # R-INV-3
    WRITE_OFF_REQUESTED = "inventory_write_off_requested", _("Write-off requested")
    WRITE_OFF_APPROVED = "inventory_write_off_approved", _("Write-off approved")
    WRITE_OFF_REFUSED = "inventory_write_off_refused", _("Write-off refused")
    # R-INV-2
    REPAIR_OPENED = "inventory_repair_opened", _("Repair or copy task opened")
    REPAIR_DONE = "inventory_repair_done", _("Repair or copy task done")
