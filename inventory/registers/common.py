"""What the inventory registers share: who may print them, the records
they name as their reader may see them, and moments, names and places
written out as a reader reads them (local time, the language's own date
format: 2026年12月3日 14:05)."""
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from inventory import policies
from inventory.exceptions import InventoryRefused
from records.models import Record
from records.selectors import visibility_condition

# Ids per query when records are read by id: far below SQLite's limit on
# the variables of one statement.
IDS_PER_QUERY = 2000


def refuse_unless_may_view(reader):
    """The archivist and the department head read stocktakes and write-offs
    (inventory.policies.may_view). Asked again when a background job builds
    the register: the reader may have lost the right since asking."""
    if not policies.may_view(reader):
        raise InventoryRefused(_("You may not print the stocktake registers."))


def visible_records_by_id(reader, record_ids):
    """{record id: Record} of those of `record_ids` the reader may see
    (records.selectors.visibility_condition, R-LEND-4): a register names no
    record its reader may not know of. A fixed number of queries per
    IDS_PER_QUERY ids."""
    condition = visibility_condition(reader)
    ids = sorted(set(record_ids))
    if condition is None or not ids:
        return {}
    found = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = Record.objects.filter(condition, pk__in=ids[start:start + IDS_PER_QUERY]).only(
            "pk", "archive_number", "title", "security_level"
        )
        found.update((record.pk, record) for record in rows)
    return found


def hidden_record_text():
    """What a register prints instead of a record its reader may not see."""
    return _("A record you may not see")


def moment_text(value):
    """A moment in local time, in the language's format (2026年12月3日 14:05)."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def person(user):
    return user.display_name if user is not None else ""


def place(location):
    """A box or a room as the reader knows it: its full code and name."""
    return str(location) if location is not None else ""
