"""One historical version of a client or a contract, opened in the back
office by someone who may only view it (the department head): the page
opens, and names the linked records the reader may see, never the title of
a hidden (confidential) one (R-LEND-4, R-ACCESS;
records.admin.visibility.VisibleRecordFieldsMixin)."""
import pytest
from django.utils.translation import ngettext

from clients.models import Client
from contracts.models import Contract
from records.models import SecurityLevel
from tests.admin_support import admin_url, staff_user_with_perms

HIDDEN_ONE = ngettext("%(count)d record you may not see", "%(count)d records you may not see", 1) % {"count": 1}


@pytest.fixture
def reader(db):
    return staff_user_with_perms(
        "reader", "clients.view_client", "contracts.view_contract", "records.view_record"
    )


def version_page(client, user, obj):
    client.force_login(user)
    version = obj.history.order_by("-pk").first()
    return client.get(admin_url(type(obj), "simple_history", obj.pk, version.pk))


def test_r_lend_4_view_only_client_version_page_names_only_visible_records(client, reader, filed_record):
    public = filed_record(title="公开的代理商协议", security_level=SecurityLevel.PUBLIC)
    secret = filed_record(title="机密的代理商协议", security_level=SecurityLevel.CONFIDENTIAL)
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(public, secret)

    response = version_page(client, reader, profile)

    assert response.status_code == 200
    content = response.content.decode()
    assert "某代理商" in content and "公开的代理商协议" in content
    assert "机密的代理商协议" not in content
    assert HIDDEN_ONE in content


def test_r_lend_4_view_only_contract_version_page_hides_a_hidden_review_record(client, reader, filed_record):
    review = filed_record(title="机密的评审资料", security_level=SecurityLevel.CONFIDENTIAL)
    contract = Contract.objects.create(
        record=filed_record(title="代理协议"),
        contract_number="HT-101",
        contract_type="agent_agreement",
        counterparty_name="某代理商",
        review_record=review,
    )

    response = version_page(client, reader, contract)

    assert response.status_code == 200
    content = response.content.decode()
    assert "HT-101" in content
    assert "机密的评审资料" not in content
    assert HIDDEN_ONE in content


def test_the_archivist_version_page_keeps_the_record_field(client, archivist, filed_record):
    """Who may change sees the field itself (read-only history), as before."""
    secret = filed_record(title="机密的代理商协议", security_level=SecurityLevel.CONFIDENTIAL)
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(secret)

    response = version_page(client, archivist, profile)

    assert response.status_code == 200
    assert "records" in response.context["adminform"].form.fields
