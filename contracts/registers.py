"""The contract ledger (合同台帐, R-CONTRACT) as a printed register, PDF or
Excel, through records.printing.TableRegister. Rows are the filtered
selection of contracts.selectors.ledger_contracts, which starts from
records.selectors.visible_records: nothing its reader may not see is listed
or counted (R-LEND-4); each confidential record listed leaves an
access-log row when it is printed (R-ACCESS)."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts import policies, selectors
from contracts.exceptions import ContractRefused
from contracts.policies import days_left
from contracts.holdings import holdings_text
from contracts.selectors import ledger_totals
from records.models import Record
from records.printing import Column, TableRegister


def _name(user):
    return user.display_name if user is not None else ""


def review_text(contract):
    if not contract.review_result and contract.review_date is None:
        return ""
    parts = [contract.review_date.isoformat() if contract.review_date else "", contract.get_review_result_display()]
    return " ".join(part for part in parts if part)


def days_left_text(contract, today):
    """The days left of a running term, or "expired" with the end date once
    it has ended: a register never prints negative days (issue 16)."""
    days = days_left(contract, today)
    if days is None or days >= 0:
        return days
    return _("Expired %(date)s") % {"date": contract.ends_on.isoformat()}


def totals_lines(totals):
    """The footer: how many contracts, and the amount per currency."""
    lines = [_("Contracts: %(count)d") % {"count": totals["count"]}]
    for currency, total in totals["amounts"]:
        lines.append(_("Total amount (%(currency)s): %(total)s") % {"currency": currency, "total": f"{total:,.2f}"})
    return lines


def ledger_register(contracts, *, today, reader, subtitle=""):
    """合同台帐 of `contracts` (a ledger selection the caller built for
    `reader` with contracts.selectors.ledger_contracts)."""
    totals = ledger_totals(contracts)
    return TableRegister(
        title=_("Contract ledger"),
        subtitle=subtitle,
        columns=[
            Column(gettext_lazy("Contract number"), "contract_number", width=16),
            Column(gettext_lazy("Archive number"), "record.archive_number", width=22),
            Column(gettext_lazy("Contract type"), "get_contract_type_display", width=12),
            Column(gettext_lazy("Counterparty"), "counterparty_name", width=16),
            Column(gettext_lazy("Signed on"), "signed_on", width=13, align="center"),
            Column(gettext_lazy("Term starts"), "starts_on", width=13, align="center"),
            Column(gettext_lazy("Term ends"), "ends_on", width=13, align="center"),
            Column(gettext_lazy("Amount"), "amount", width=15, align="right"),
            Column(gettext_lazy("Currency"), "currency", width=6, align="center"),
            Column(gettext_lazy("Responsible person"), lambda contract: _name(contract.responsible_person), width=8),
            Column(gettext_lazy("Original or copy"), "get_original_or_copy_display", width=7, align="center"),
            Column(gettext_lazy("Contract review"), review_text, width=14),
            Column(gettext_lazy("Held by"), holdings_text, width=16),
            Column(
                gettext_lazy("Days left"), lambda contract: days_left_text(contract, today), width=12, align="right"
            ),
        ],
        rows=contracts,
        row_count=totals["count"],
        footer_lines=totals_lines(totals),
        signatures=[_("Compiled by"), _("Checked by")],
        filename="-".join([_("contract-ledger"), today.isoformat()]),
        landscape=True,
        printed_on=today,
        reader=reader,
        listed_records=Record.objects.filter(pk__in=contracts.values("record_id")),
    )


def ledger_from_form(reader, form):
    """The ledger a valid LedgerFilterForm selects, rebuilt by the
    background job for a long one (records.register_jobs)."""
    if not policies.may_view_ledger(reader):
        raise ContractRefused(_("You may not view the contract ledger."))
    today = timezone.localdate()
    contracts = selectors.ledger_contracts(reader, filters=form.cleaned_data, today=today)
    return ledger_register(contracts, today=today, reader=reader, subtitle=form.subtitle())
