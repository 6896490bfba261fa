"""Who may do what in the inventory app. Pure rule checks: they read the
user's permissions and the rows' state and change nothing. Screens, the
admin, the services (again, under lock) and the tests all ask here.

- The archivist (records.file_record) opens, counts, reconciles and closes
  stocktakes (R-INV-1), requests write-offs and does repair and copy
  tasks (R-INV-2).
- The department head (inventory.approve_writeoff) approves or refuses a
  write-off (R-INV-3); nobody decides their own request."""
from records.models import RecordStatus

FILE_RECORD = "records.file_record"
APPROVE_WRITE_OFF = "inventory.approve_writeoff"

# A record in one of these states has left the books: scanning it says so.
STRUCK_OFF_STATES = (
    RecordStatus.VOID,
    RecordStatus.WRITTEN_OFF,
    RecordStatus.WEEDED,
    RecordStatus.DESTROYED,
    RecordStatus.TRANSFERRED,
)


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def may_run_stocktake(user):
    """The archivist opens, counts, reconciles and closes (R-INV-1)."""
    return _active(user) and user.has_perm(FILE_RECORD)


def may_request_write_off(user):
    """The archivist asks for a record to be struck off (R-INV-3)."""
    return may_run_stocktake(user)


def may_decide_write_offs(user):
    """The department head approves or refuses write-offs (R-INV-3)."""
    return _active(user) and user.has_perm(APPROVE_WRITE_OFF)


def may_decide_write_off(user, write_off):
    """The department head decides; never the one who asked (R-INV-3)."""
    return may_decide_write_offs(user) and write_off.requested_by_id != user.pk


def may_do_repair(user):
    """The archivist opens and completes repair and copy tasks (R-INV-2)."""
    return may_run_stocktake(user)


def may_view(user):
    """Stocktakes and their rows are read by the archivist and the head."""
    return _active(user) and user.has_perm("inventory.view_stocktake")


def may_see_repairs(user):
    """Repair and copy tasks are read by the archivist who does them and
    the head who reads stocktakes (R-INV-2)."""
    return may_view(user) or may_do_repair(user)
