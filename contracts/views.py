"""The contract ledger in the portal (台帐, R-CONTRACT): the filtered list
with totals and its export, the archivist's form to enter a contract, and
the panels on the record page and the home page. Reads go through
contracts.selectors (records.selectors.visible_records underneath); access
through core.views.gate, refusals through core.views.refusal_to_form."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from contracts import policies, selectors
from contracts.exceptions import ContractRefused
from contracts.forms import ContractRegisterForm, LedgerFilterForm
from contracts.holdings import holdings_entries, holdings_text
from contracts.registers import ledger_register
from contracts.services import contract_register
from core.views import gate, refusal_to_form
from records.paging import PER_PAGE, capped_counts, page_of
from records.printing import RegisterTooLarge
from records.register_jobs import deliver

PAGE_SIZE = PER_PAGE
HOME_PANEL_ITEMS = 5
HOME_PANEL_COUNT_CAP = 999


@require_safe
def ledger(request):
    """合同台帐: filters, totals of the filtered set, one page of rows, and
    the same selection as Excel or PDF (`format=xlsx|pdf`)."""
    gate(policies.may_view_ledger(request.user))
    today = timezone.localdate()
    form = LedgerFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    contracts = selectors.ledger_contracts(request.user, filters=filters, today=today)
    if form.is_valid() and form.cleaned_data.get("format"):
        register = ledger_register(contracts, today=today, reader=request.user, subtitle=form.subtitle())
        try:
            return deliver(request, name="contracts", register=register, fmt=form.cleaned_data["format"])
        except RegisterTooLarge as refusal:
            refusal_to_form(form, refusal)
    page = page_of(request, contracts, PAGE_SIZE)
    rows = [
        {
            "contract": contract,
            "holdings": holdings_entries(contract),
            "days_left": (days := policies.days_left(contract, today)),
            "expiry_state": policies.expiry_state(days),
        }
        for contract in page.object_list
    ]
    return render(
        request,
        "contracts/contract_ledger.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "totals": selectors.ledger_totals(contracts),
            "may_register": policies.may_register_contract(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register_contract(request):
    """The archivist enters and files a contract in one step (R-CONTRACT)."""
    gate(policies.may_register_contract(request.user))
    form = ContractRegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_register(
                by=request.user,
                record_data=form.record_data(),
                contract_data=form.contract_data(),
                holdings=form.holdings(),
                location=form.cleaned_data["location"],
            )
        except ContractRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Contract %(number)s entered and filed as %(archive_number)s.")
                % {"number": contract.contract_number, "archive_number": contract.record.archive_number},
            )
            return redirect("record_detail", pk=contract.record_id)
    return render(request, "contracts/contract_form.html", {"form": form})


def record_panel(request, record):
    """Contract facts on the record page (records.panels), or None when the
    record is no contract."""
    contract = selectors.contract_for_record(request.user, record)
    if contract is None:
        return None
    today = timezone.localdate()
    days = policies.days_left(contract, today)
    return {
        "contract": contract,
        "holdings": holdings_text(contract),
        "review_record": selectors.visible_review_record(request.user, contract),
        "days_left": days,
        "expiry_state": policies.expiry_state(days),
    }


def home_panel(request):
    """Contracts expiring within 30 days and expired ones still kept, on the
    home page of the archivist and the department head (R-CONTRACT). Each
    count stops at HOME_PANEL_COUNT_CAP ("999+"): expired contracts grow
    with the archive, and the page must not count them all."""
    if not policies.sees_contract_reminders(request.user):
        return None
    today = timezone.localdate()
    expiring = selectors.expiring_contracts(request.user, today=today, days=policies.EXPIRING_SOON_DAYS)
    expired = selectors.expired_unmarked_contracts(request.user, today=today)
    counts = capped_counts({"expiring": expiring, "expired": expired}, HOME_PANEL_COUNT_CAP + 1)
    return {
        "days": policies.EXPIRING_SOON_DAYS,
        "expiring_count": min(counts["expiring"], HOME_PANEL_COUNT_CAP),
        "expiring_capped": counts["expiring"] > HOME_PANEL_COUNT_CAP,
        "expiring": [
            {"contract": contract, "days_left": policies.days_left(contract, today)}
            for contract in expiring[:HOME_PANEL_ITEMS]
        ],
        "expired_count": min(counts["expired"], HOME_PANEL_COUNT_CAP),
        "expired_capped": counts["expired"] > HOME_PANEL_COUNT_CAP,
        "expired": [
            {"contract": contract, "days_left": policies.days_left(contract, today)}
            for contract in expired[:HOME_PANEL_ITEMS]
        ],
    }
