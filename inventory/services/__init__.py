"""Every write of the inventory app. Each service checks who may
(inventory.policies), locks the row it changes before its checks, saves
with history (core.history.save_with_history, reasons in
inventory.reasons) and refuses with InventoryRefused (a message for the
user), changing nothing. What happens to a record is done by
records.services (record_move, record_mark_missing, record_write_off,
record_restore_found, record_add_copies).

- stocktakes: stocktake_open (the snapshot, set-based), unit_mark_counted,
  stocktake_close (R-INV-1)
- scanning: scan_record (codes read by core.text_input.normalise_code; R-INV-1, R-INV-2)
- differences: difference_resolve (R-INV-1)
- write_offs: write_off_request, write_off_approve, write_off_refuse (R-INV-3)
- repairs: repair_task_open, repair_task_done (R-INV-2)
"""
from inventory.services.differences import difference_resolve
from inventory.services.repairs import repair_task_done, repair_task_open
from inventory.services.scanning import scan_record
from inventory.services.stocktakes import snapshot_size, stocktake_close, stocktake_open, unit_mark_counted
from inventory.services.write_offs import write_off_approve, write_off_refuse, write_off_request

__all__ = [
    "difference_resolve",
    "repair_task_done",
    "repair_task_open",
    "scan_record",
    "snapshot_size",
    "stocktake_close",
    "stocktake_open",
    "unit_mark_counted",
    "write_off_approve",
    "write_off_refuse",
    "write_off_request",
]
