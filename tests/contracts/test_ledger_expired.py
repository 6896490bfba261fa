"""Issue 16: an expired contract says 已到期 with its end date (never a
negative number of days) on the ledger, the record page, the home page and
the printed or exported ledger; the contract form is grouped under headings
with its required fields marked; leadership reads the ledger."""
import datetime
import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import load_workbook

from accounts.roles import Role
from contracts.forms import ContractRegisterForm
from contracts.registers import days_left_text
from records.models import SecurityLevel
from tests.contracts.ledger_support import make_contract

LEDGER = reverse("contract_ledger")


@pytest.fixture
def expired(archivist):
    return make_contract(archivist, "HT-OLD", ends_in=-243)


def text(html):
    """What a reader sees: the markup without its tags and attributes."""
    return re.sub(r"<[^>]*>", " ", html)


def ended_on(contract):
    return contract.ends_on.isoformat()


def test_the_ledger_says_expired_with_the_date_in_chinese(client, archivist, expired):
    make_contract(archivist, "HT-SOON", ends_in=10)
    client.force_login(archivist)
    page = client.get(LEDGER).content.decode()
    row = page[page.index('data-contract="HT-OLD"'):]
    row = row[:row.index("</tr>")]
    assert f"已到期（{ended_on(expired)}）" in row
    assert "243" not in text(row) and "−" not in text(row)
    soon = page[page.index('data-contract="HT-SOON"'):]
    assert "剩余 10 天" in soon[:soon.index("</tr>")] or "10 天" in soon[:soon.index("</tr>")]


def test_the_record_page_and_the_home_page_say_expired_with_the_date(client, archivist, expired):
    client.force_login(archivist)
    record_page = client.get(reverse("record_detail", args=[expired.record_id])).content.decode()
    panel = record_page[record_page.index('data-panel="contract"'):]
    assert f"已到期（{ended_on(expired)}）" in panel[:panel.index("</section>")]
    home = client.get(reverse("home")).content.decode()
    reminders = home[home.index('data-panel="contract-reminders"'):]
    reminders = reminders[:reminders.index("</section>")]
    assert f"已到期（{ended_on(expired)}）" in reminders
    assert "243" not in text(reminders)


def test_the_exported_ledger_prints_no_negative_days(client, archivist, expired):
    running = make_contract(archivist, "HT-RUN", ends_in=40)
    client.force_login(archivist)
    response = client.get(LEDGER, {"format": "xlsx"})
    rows = [row for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    by_number = {row[1]: row for row in rows if row and row[1] in ("HT-OLD", "HT-RUN")}
    assert by_number["HT-OLD"][-1] == f"已到期（{ended_on(expired)}）"
    assert by_number["HT-RUN"][-1] == 40
    assert not any(isinstance(cell, int) and cell < 0 for row in rows for cell in row)
    assert running.ends_on > timezone.localdate()


def test_days_left_text():
    today = datetime.date(2026, 12, 6)

    class Term:
        def __init__(self, ends_on):
            self.ends_on = ends_on

    with override("en"):
        assert days_left_text(Term(datetime.date(2026, 4, 7)), today) == "Expired 2026-04-07"
    assert days_left_text(Term(datetime.date(2026, 4, 7)), today) == "已到期（2026-04-07）"
    assert days_left_text(Term(today), today) == 0
    assert days_left_text(Term(None), today) is None


def test_the_contract_form_is_grouped_with_required_fields_marked(client, archivist):
    client.force_login(archivist)
    page = client.get(reverse("contract_register")).content.decode()
    legends = re.findall(r"<legend>(.*?)</legend>", page)
    assert legends == ["档案", "合同信息", "合同评审", "原件和复印件的保管"]
    form = ContractRegisterForm(user=archivist)
    grouped = [field.name for _heading, fields in form.fieldsets() for field in fields]
    assert sorted(grouped) == sorted(form.fields) and len(grouped) == len(set(grouped)) == 22
    for name, field in form.fields.items():
        block = page[page.index(f'data-field="{name}"'):]
        label = block[:block.index("</label>")]
        assert ('class="required-mark"' in label) == field.required, name
    assert "带 * 的为必填项" in page


@pytest.mark.parametrize("role, sees", [(Role.LEADERSHIP, True), (Role.DEPARTMENT_HEAD, True), (Role.SYSADMIN, False)])
def test_leadership_reads_the_ledger_with_confidential_contracts(client, role_users, archivist, role, sees):
    make_contract(archivist, "HT-SECRET", security_level=SecurityLevel.CONFIDENTIAL)
    client.force_login(role_users[role])
    response = client.get(LEDGER)
    assert response.status_code == (200 if sees else 403)
    assert ("HT-SECRET" in response.content.decode()) == sees
    # Reading only: leadership never enters a contract.
    assert client.get(reverse("contract_register")).status_code == 403
