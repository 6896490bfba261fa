"""Reads of the contract ledger (台帐, R-CONTRACT). Every query starts from
`records.selectors.visible_records`: a contract whose record the user may
not see (a confidential one, for staff) is never listed, counted or
exported (R-LEND-4)."""
from django.db.models import Q, Sum

from contracts.models import Contract
from contracts.policies import expiring_window
from records.models import RecordStatus
from records.selectors import visibility_condition, visible_records

# Records still kept: an expired contract on these is "not marked" yet.
STILL_KEPT = (RecordStatus.FILED, RecordStatus.ON_LOAN, RecordStatus.MISSING)


def visible_contracts(user):
    """Contracts whose record `user` may see: a join on the record, which
    the database plans with the ledger's filters and order (an index on
    ends_on for the reminders), not the whole visible archive as a subquery."""
    condition = visibility_condition(user, through="record__")
    if condition is None:
        return Contract.objects.none()
    return Contract.objects.filter(condition)


def ledger_contracts(user, *, filters=None, today):
    """The ledger rows `user` may see, narrowed by `filters` (cleaned data
    of contracts.forms.LedgerFilterForm), oldest signature last."""
    filters = filters or {}
    contracts = visible_contracts(user)
    if filters.get("contract_type"):
        contracts = contracts.filter(contract_type=filters["contract_type"])
    counterparty = (filters.get("counterparty") or "").strip()
    if counterparty:
        contracts = contracts.filter(
            Q(counterparty_name__icontains=counterparty) | Q(counterparty__name__icontains=counterparty)
        )
    if filters.get("year"):
        contracts = contracts.filter(signed_on__year=filters["year"])
    if filters.get("expiring_within") is not None:
        first, last = expiring_window(today, filters["expiring_within"])
        contracts = contracts.filter(ends_on__gte=first, ends_on__lte=last)
    if filters.get("expired"):
        contracts = contracts.filter(ends_on__lt=today)
    if filters.get("holder"):
        contracts = contracts.filter(
            pk__in=Contract.objects.filter(holdings__holder=filters["holder"]).values("pk")
        )
    return (
        contracts.select_related("record", "counterparty", "responsible_person", "review_record")
        .prefetch_related("holdings")
        .order_by("-signed_on", "contract_number")
    )


def ledger_totals(contracts):
    """{"count": n, "amounts": [(currency, total), ...]} of a ledger
    selection; amounts are summed per currency, never across them."""
    per_currency = (
        contracts.order_by()
        .filter(amount__isnull=False)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {
        "count": contracts.count(),
        "amounts": [(row["currency"], row["total"]) for row in per_currency],
    }


def expiring_contracts(user, *, today, days):
    """Contracts `user` may see whose term ends within `days` days, the
    soonest first."""
    first, last = expiring_window(today, days)
    return (
        visible_contracts(user)
        .filter(ends_on__gte=first, ends_on__lte=last)
        .select_related("record")
        .order_by("ends_on", "contract_number")
    )


def expired_unmarked_contracts(user, *, today):
    """Contracts `user` may see whose term has ended while their record is
    still kept as current (filed, on loan or missing): nobody has closed
    them yet (voided, weeded...), R-CONTRACT. Most recently ended first."""
    return (
        visible_contracts(user)
        .filter(ends_on__lt=today, record__status__in=STILL_KEPT)
        .select_related("record")
        .order_by("-ends_on", "contract_number")
    )


def contract_for_record(user, record):
    """The contract facts of a record `user` may see, or None."""
    return (
        visible_contracts(user)
        .select_related("counterparty", "responsible_person", "review_record")
        .prefetch_related("holdings")
        .filter(record=record)
        .first()
    )


def visible_review_record(user, contract):
    """The review papers of `contract` if `user` may see them, else None."""
    if contract.review_record_id is None:
        return None
    return visible_records(user).filter(pk=contract.review_record_id).first()

