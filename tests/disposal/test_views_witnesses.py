"""The witnesses' pages (监销人, R-DISP-3): a witness sees the destructions
waiting for their confirmation and confirms, for themselves only; anyone
else's page is not found and nothing changes; the page names only the
records the witness may see."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from records.models import SecurityLevel
from tests.conftest import make_user
from tests.disposal.support import approved, due_record, fresh, record_destruction, state, witnesses
from tests.disposal.views_support import shown_messages, signed_in, text_of


@pytest.fixture
def destruction(archivist, department_head, leadership, filed_record):
    records = [
        due_record(filed_record, title="内部销毁档案", security_level=SecurityLevel.INTERNAL),
        due_record(filed_record, title="机密销毁档案", security_level=SecurityLevel.CONFIDENTIAL),
    ]
    disposal_list = approved(archivist, department_head, leadership, records)
    return record_destruction(disposal_list, archivist, witnesses())


def page(witness):
    return reverse("disposal_witness_confirm", args=[witness.pk])


def test_r_disp_3_a_witness_sees_what_waits_and_confirms(client, destruction):
    witness = destruction.witnesses.order_by("pk").first()
    signed_in(client, witness.user)
    listing = text_of(client.get(reverse("disposal_witness_list")))
    assert f'data-witness="{witness.pk}"' in listing and page(witness) in listing
    body = text_of(client.get(page(witness)))
    assert destruction.disposal_list.number in body and "档案室碎纸间" in body
    assert "内部销毁档案" in body and 'data-count="2"' in body
    response = client.post(page(witness), {"confirm": "1"})
    assert response["Location"] == reverse("disposal_witness_list")
    assert shown_messages(client, response) == [
        f"You confirmed the destruction under list {destruction.disposal_list.number}."
    ]
    assert fresh(witness).confirmed_at is not None


def test_the_witness_page_names_only_records_the_witness_may_see(client, destruction):
    witness = destruction.witnesses.order_by("pk").first()
    body = text_of(signed_in(client, witness.user).get(page(witness)))
    assert "机密销毁档案" not in body
    confidential = destruction.disposal_list.items.get(record__title="机密销毁档案").record
    assert confidential.archive_number not in body
    assert "and 1 record you may not see" in body


def test_confirming_twice_is_refused_with_the_date(client, destruction):
    witness = destruction.witnesses.order_by("pk").first()
    signed_in(client, witness.user).post(page(witness), {"confirm": "1"})
    before = state()
    response = client.post(page(witness), {"confirm": "1"})
    assert response.status_code == 200 and "You already confirmed on" in text_of(response)
    assert state() == before


@pytest.mark.parametrize("who", ["other witness", "archivist", "head", "stranger"])
def test_only_the_witness_confirms_for_themselves(client, destruction, archivist, department_head, who):
    first, second = destruction.witnesses.order_by("pk")
    user = {
        "other witness": second.user, "archivist": archivist, "head": department_head,
        "stranger": make_user(Role.STAFF, "stranger"),
    }[who]
    signed_in(client, user)
    assert client.get(page(first)).status_code == 404
    before = state()
    assert client.post(page(first), {"confirm": "1"}).status_code == 404
    assert state() == before


def test_wrong_methods(client, destruction):
    witness = destruction.witnesses.first()
    signed_in(client, witness.user)
    assert client.put(page(witness)).status_code == 405
    assert client.post(reverse("disposal_witness_list")).status_code == 405


def test_anonymous_is_sent_to_sign_in(client, destruction):
    response = client.get(page(destruction.witnesses.first()))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_someone_witnessing_nothing_sees_an_empty_page(client, staff):
    body = text_of(signed_in(client, staff).get(reverse("disposal_witness_list")))
    assert "You are not named as a witness of any destruction." in body
