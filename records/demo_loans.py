"""The records `seed_demo` puts out on loan, and to whom.

records.demo files every demo record, then hands these out with
records.services.record_check_out alone (a custody change, no Loan row:
records knows nothing of lending). lending.demo later reads DEMO_LOANS to
take them back and lend them again to the same people through the desk,
so it never has to read a borrower's name back out of the history."""
from accounts.models import User
from core.history import acting_as
from records.models import Record
from records.services import record_check_out

# Archive number -> the borrower's username (accounts.demo): paper items of
# older years, from classes the lending demo's own requests do not draw on.
DEMO_LOANS = {
    "J001-WLSW·2022-D10-SCB-0003": "sunhao",
    "J001-WLFW·2021-D10-SCB-0001": "staff",
}
# The history reason of a record handed out here, followed by the
# borrower's name: for a reader of the history, in Chinese like the rest of
# the demo's own words (issue 16). Nothing parses it.
LENT_TO = "演示数据：借给"


def lend_demo_records(archivist):
    """Hand out the DEMO_LOANS records; returns them. An archive number the
    seeded data lacks stops the seeding rather than lending fewer."""
    borrowers = {user.username: user for user in User.objects.filter(username__in=DEMO_LOANS.values())}
    records = {record.archive_number: record for record in Record.objects.filter(archive_number__in=DEMO_LOANS)}
    missing = sorted(set(DEMO_LOANS) - set(records))
    if missing:
        raise ValueError(f"DEMO_LOANS names archive numbers the demo did not file: {missing}")
    lent = []
    with acting_as(archivist):
        for archive_number, username in DEMO_LOANS.items():
            reason = f"{LENT_TO}{borrowers[username].display_name}"
            lent.append(record_check_out(record=records[archive_number], reason=reason))
    return lent
