"""R-ACCESS: every register and export that includes confidential records
leaves one access-log row per confidential record (action "printed"), naming
the register or export; other records are not logged, and a register that
was refused (too long for a PDF) logs nothing."""
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from contracts.models import Contract
from lending import services as lending_services
from records import printing
from records.models import AccessAction, AccessLog, Record, SecurityLevel
from tests.admin_support import admin_url
from tests.contracts.ledger_support import make_contract
from tests.factories import category
from tests.lending.support import approved_request

C, I = SecurityLevel.CONFIDENTIAL, SecurityLevel.INTERNAL


def printed(user=None):
    """(record pk, where) of each "printed" row, by `user` if given."""
    rows = AccessLog.objects.filter(action=AccessAction.PRINTED)
    if user is not None:
        rows = rows.filter(user=user)
    return sorted(rows.values_list("record_id", "where"))


@pytest.fixture
def two_records(filed_record):
    return filed_record(title="机密投放方案", security_level=C), filed_record(title="内部月报", security_level=I)


def catalogue(client, fmt):
    return client.get(reverse("catalogue"), {"category": category("HTDL").pk, "year": 2024, "format": fmt})


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_r_access_catalogue_logs_each_confidential_record_it_prints(client, archivist, two_records, fmt):
    secret, _internal = two_records
    client.force_login(archivist)
    response = catalogue(client, fmt)
    assert response.status_code == 200 and response.content
    [(record_id, where)] = printed(archivist)
    assert record_id == secret.pk
    assert fmt.upper() in where and "2024" in where


def test_r_access_a_reader_who_cannot_see_the_record_logs_nothing(client, staff, two_records):
    client.force_login(staff)
    assert catalogue(client, "xlsx").status_code == 200
    assert printed() == []


def test_r_access_a_refused_pdf_logs_nothing(client, archivist, two_records, monkeypatch):
    monkeypatch.setattr(printing, "MAX_PDF_ROWS", 1)
    client.force_login(archivist)
    response = catalogue(client, "pdf")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert printed() == []


def test_r_access_lending_register_logs_the_confidential_loans(client, archivist, staff, department_head, two_records):
    for record in two_records:
        lending_services.loan_check_out(request=approved_request(staff, record), by=archivist)
    client.force_login(archivist)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("lending_register"), {"date_from": today, "date_to": today, "format": "xlsx"})
    assert response.status_code == 200
    assert [record_id for record_id, _where in printed(archivist)] == [two_records[0].pk]


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_r_access_contract_ledger_logs_the_confidential_contracts(client, archivist, fmt):
    secret = make_contract(archivist, "HT-SECRET", security_level=C)
    make_contract(archivist, "HT-OPEN", security_level=I)
    client.force_login(archivist)
    assert client.get(reverse("contract_ledger")).status_code == 200
    assert printed() == []  # the page itself is not a register
    response = client.get(reverse("contract_ledger"), {"format": fmt})
    assert response.status_code == 200
    assert [record_id for record_id, _where in printed(archivist)] == [secret.record_id]


def admin_export(client, model, label):
    url = admin_url(model, "export")
    form = client.get(url).context["form"]
    data = {"format": next(value for value, text in form.fields["format"].choices if text == label), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = client.post(url, data)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("label", ["xlsx", "csv"])
def test_r_access_back_office_record_export_logs_each_confidential_record(client, archivist, two_records, label):
    client.force_login(archivist)
    admin_export(client, Record, label)
    [(record_id, where)] = printed(archivist)
    assert record_id == two_records[0].pk
    assert str(Record._meta.verbose_name_plural) in where


def test_r_access_back_office_contract_export_logs_each_confidential_contract(client, archivist):
    secret = make_contract(archivist, "HT-SECRET", security_level=C)
    make_contract(archivist, "HT-OPEN", security_level=I)
    client.force_login(archivist)
    admin_export(client, Contract, "xlsx")
    [(record_id, where)] = printed(archivist)
    assert record_id == secret.record_id
    assert str(Contract._meta.verbose_name_plural) in where


def test_r_access_export_of_selected_rows_logs_only_those(client, archivist, filed_record):
    first, second = filed_record(security_level=C), filed_record(security_level=C)
    client.force_login(archivist)
    url = admin_url(Record, "export")
    form = client.get(url).context["form"]
    xlsx = next(value for value, text in form.fields["format"].choices if text == "xlsx")
    response = client.post(url, {"format": xlsx, "resource": "0", "export_items": [str(first.pk)], "recordresource_title": "on"})
    assert response.status_code == 200, response.content[:500]
    assert [record_id for record_id, _where in printed(archivist)] == [first.pk]


def test_r_access_client_export_lists_no_records_and_logs_none(client, archivist, two_records):
    Client.objects.create(name="某代理商", client_type="agent").records.add(*two_records)
    client.force_login(archivist)
    content = admin_export(client, Client, "xlsx").content
    assert content and printed() == []
