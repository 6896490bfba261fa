"""Who may do what with the contract ledger (台帐, R-CONTRACT), in one place."""
import datetime

from contracts.models import ContractType

# R-SCOPE 1: each contract type is filed under its own class of the file plan.
CATEGORY_BY_TYPE = {
    ContractType.QUALIFICATION: "HTZZ",
    ContractType.AGENT_AGREEMENT: "HTDL",
    ContractType.OUTDOOR_ADVERTISING: "HTHW",
    ContractType.OTHER: "HTQT",
}
# Review papers (合同评审, R-CONTRACT) are filed in their own class.
REVIEW_CATEGORY = "HTPS"

# The home page reminds of terms ending within this many days.
EXPIRING_SOON_DAYS = 30


def may_view_ledger(user):
    """Readers of contracts (contracts.view_contract: the archivist, the
    department head and leadership) and the staff of the department that owns the archive.
    Each sees only the contracts whose record they may see
    (records.selectors.visible_records, R-LEND-4)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.has_perm("contracts.view_contract") or user.is_archive_department_member)
    )


def may_register_contract(user):
    """The archivist enters a contract into the ledger and files it in one
    step: it takes the right to file records (records.file_record), to hand
    one in (records.add_record, department member) and to add contracts."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_archive_department_member
        and user.has_perm("records.add_record")
        and user.has_perm("records.file_record")
        and user.has_perm("contracts.add_contract")
    )


def sees_contract_reminders(user):
    """Expiring and expired contracts show on the home page of those who
    keep the ledger (contracts.change_contract: the archivist) and of the
    department head (records.approve_disposal), R-CONTRACT. Permissions,
    not role names, so a site can grant it to one more person."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.has_perm("contracts.change_contract") or user.has_perm("records.approve_disposal"))
    )


def days_left(contract, today):
    """Days until the term ends (negative once it has ended), or None for a
    contract without an end date."""
    if contract.ends_on is None:
        return None
    return (contract.ends_on - today).days


def expiry_state(days):
    """A badge for the days left: expired, expiring (within
    EXPIRING_SOON_DAYS), running, or None without an end date."""
    if days is None:
        return None
    if days < 0:
        return "expired"
    if days <= EXPIRING_SOON_DAYS:
        return "expiring"
    return "running"


def expiring_window(today, days):
    """(first, last) end dates of terms that end within `days` days from
    `today`, both included."""
    return today, today + datetime.timedelta(days=days)
