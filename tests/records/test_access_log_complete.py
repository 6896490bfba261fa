"""Every access to a confidential record is traceable (R-ACCESS, R-LEND-4):
opening it in the back office (change, history and version pages, and the
pages of what names it), back-office and portal lists, and the handover
page and list leave one AccessLog row per confidential record shown, with
who, what and where; nothing is logged for other records or for records
the reader is not shown. The log itself is append-only. After filing, the
person who handed a confidential item over sees its archive number only."""
import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from accounts.roles import Role
from clients.models import Client
from contracts.models import Contract
from records.models import AccessAction, AccessGrant, AccessLog, Attachment, Record, SecurityLevel
from records.services import handover_receive
from records.services.holds import hold_place
from tests.admin_support import admin_url, staff_user_with_perms
from tests.conftest import make_user
from tests.records.test_filing_services import make_box, submitted

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


def logged(**filters):
    return list(AccessLog.objects.filter(**filters).order_by("pk").values_list("user__username", "record_id", "action"))


# --- the back office: one record's pages -----------------------------------------------------


def _version(record):
    return record.history.order_by("-pk").first().pk


@pytest.mark.parametrize(
    "view, args",
    [
        ("change", lambda record: [record.pk]),
        ("history", lambda record: [record.pk]),
        ("simple_history", lambda record: [record.pk, _version(record)]),
    ],
)
def test_r_access_back_office_pages_of_a_confidential_record_are_logged(client, archivist, filed_record, view, args):
    secret = filed_record(title="董事会机密纪要", security_level=C)
    public = filed_record(title="公开的展会资料", security_level=P)
    client.force_login(archivist)

    url = admin_url(Record, view, *args(secret))
    response = client.get(url)
    assert response.status_code == 200 and "董事会机密纪要" in response.content.decode()
    assert client.get(admin_url(Record, view, *args(public))).status_code == 200

    assert logged() == [("archivist", secret.pk, AccessAction.BACK_OFFICE)]
    entry = AccessLog.objects.get()
    assert entry.where == f"{gettext('Back office')} · {url}"


def test_r_access_a_refused_back_office_page_logs_nothing(client, staff, filed_record):
    reader = staff_user_with_perms("reader", "records.view_record")
    secret = filed_record(title="董事会机密纪要", security_level=C)
    client.force_login(reader)
    response = client.get(admin_url(Record, "change", secret.pk))
    assert "董事会机密纪要" not in response.content.decode()
    assert not AccessLog.objects.exists()


# --- the back office: pages of what names a record -------------------------------------------


def _attachment(record, archivist):
    content = b"%PDF-1.4 confidential"
    return Attachment.objects.create(
        record=record,
        file=ContentFile(content, name="upload.pdf"),
        original_name="机密扫描件.pdf",
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=archivist,
    )


def _grant(record, archivist):
    now = timezone.now()
    return AccessGrant.objects.create(
        user=make_user(Role.STAFF, "viewer"), record=record, starts_at=now,
        ends_at=now + datetime.timedelta(hours=2), reason="核对", granted_by=archivist,
    )


def _hold(record, archivist):
    return hold_place(record=record, by=archivist, reason="审计冻结")


def _client(record, archivist):
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(record)
    return profile


def _contract(record, archivist):
    from records.services import record_file
    from tests.factories import RecordFactory

    own = record_file(record=RecordFactory(title="公开的代理协议", security_level=P), by=archivist)
    return Contract.objects.create(
        record=own, contract_number="HT-201", contract_type="agent_agreement", counterparty_name="某代理商",
        review_record=record,
    )


@pytest.mark.parametrize("make", [_attachment, _grant, _hold, _client, _contract])
@pytest.mark.parametrize("view", ["change", "history"])
def test_r_access_back_office_pages_naming_a_confidential_record_are_logged(
    client, archivist, filed_record, private_storage, make, view
):
    secret = filed_record(title="董事会机密纪要", security_level=C)
    obj = make(secret, archivist)
    client.force_login(archivist)
    url = admin_url(type(obj), view, obj.pk)

    response = client.get(url)

    assert response.status_code == 200
    assert logged() == [("archivist", secret.pk, AccessAction.BACK_OFFICE)]
    assert AccessLog.objects.get().where.endswith(url)


def test_r_access_a_page_that_names_no_confidential_record_logs_nothing(client, archivist, filed_record):
    profile = _client(filed_record(title="公开的展会资料", security_level=P), archivist)
    client.force_login(archivist)
    assert client.get(admin_url(Client, "change", profile.pk)).status_code == 200
    assert not AccessLog.objects.exists()


def test_r_access_a_hidden_record_that_is_only_counted_is_not_logged(client, filed_record, archivist):
    """A reader who may not see the linked record is shown a count, not the
    record: nothing was accessed."""
    reader = staff_user_with_perms("reader", "clients.view_client", "records.view_record")
    profile = _client(filed_record(title="董事会机密纪要", security_level=C), archivist)
    client.force_login(reader)
    response = client.get(admin_url(Client, "change", profile.pk))
    assert response.status_code == 200 and "董事会机密纪要" not in response.content.decode()
    assert not AccessLog.objects.exists()


# --- the back office: the change list -----------------------------------------------------------


def test_r_access_record_change_list_logs_the_confidential_rows_of_the_page_shown(
    client, archivist, filed_record, monkeypatch
):
    first = filed_record(title="机密甲", security_level=C)
    second = filed_record(title="机密乙", security_level=C)
    filed_record(title="公开丙", security_level=P)
    client.force_login(archivist)
    url = admin_url(Record)

    client.get(url)
    assert sorted(logged()) == sorted([("archivist", first.pk, "listed"), ("archivist", second.pk, "listed")])
    assert {entry.where for entry in AccessLog.objects.all()} == {f"{gettext('Back office')} · {url}"}

    AccessLog.objects.all().delete()
    client.get(url, {"security_level": P})
    assert not AccessLog.objects.exists()

    # Only the page shown: with one row per page, the newest filed record.
    from records.admin import RecordAdmin

    monkeypatch.setattr(RecordAdmin, "list_per_page", 1)
    client.get(url, {"security_level": C, "o": "1"})
    assert len(logged()) == 1


# --- the log is append-only ---------------------------------------------------------------------


@pytest.mark.parametrize("superuser", [False, True])
def test_r_access_the_log_cannot_be_added_to_changed_or_deleted_in_the_back_office(
    client, department_head, filed_record, superuser
):
    reader = department_head
    if superuser:
        reader.is_superuser = True
        reader.save()
    secret = filed_record(title="董事会机密纪要", security_level=C)
    entry = AccessLog.objects.create(user=reader, record=secret, action=AccessAction.VIEW, where="门户")
    before = list(AccessLog.objects.values())
    client.force_login(reader)
    listing = client.get(admin_url(AccessLog))
    assert listing.status_code == 200 and "门户" in listing.content.decode()
    assert client.post(admin_url(AccessLog, "add"), {"user": reader.pk, "record": secret.pk}).status_code == 403
    assert client.post(admin_url(AccessLog, "change", entry.pk), {"where": "改过"}).status_code == 403
    assert client.post(admin_url(AccessLog, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert client.post(
        admin_url(AccessLog), {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    ).status_code in (200, 302)
    assert list(AccessLog.objects.values()) == before


# --- the portal: search results and the home page --------------------------------------------


def test_r_access_search_results_log_the_confidential_records_of_the_page_shown(
    client, leadership, staff, filed_record, monkeypatch
):
    monkeypatch.setattr("records.views.search.RECORDS_PER_PAGE", 2)
    older = filed_record(title="机密旧纪要", security_level=C)
    newer = filed_record(title="机密新纪要", security_level=C)
    public = filed_record(title="公开纪要", security_level=P)
    client.force_login(leadership)

    client.get(reverse("record_list"))  # newest first: public, newer
    assert logged() == [("leader", newer.pk, "listed")]
    assert AccessLog.objects.get().where == f"{gettext('Record search')} · {reverse('record_list')}"

    AccessLog.objects.all().delete()
    response = client.get(reverse("record_list"), {"q": "纪要", "page": "2"})
    shown = {record.pk for record in response.context["records"]}
    assert shown and shown <= {older.pk, newer.pk, public.pk}
    confidential_shown = shown - {public.pk}
    assert {record_id for _user, record_id, _action in logged()} == confidential_shown
    assert all("q=" in entry.where for entry in AccessLog.objects.all())

    AccessLog.objects.all().delete()
    client.force_login(staff)  # sees no confidential record: nothing is listed, nothing logged
    client.get(reverse("record_list"), {"q": "纪要"})
    assert not AccessLog.objects.exists()


def test_r_access_the_home_page_list_is_logged(client, leadership, filed_record):
    secret = filed_record(title="董事会机密纪要", security_level=C)
    filed_record(title="公开的展会资料", security_level=P)
    client.force_login(leadership)
    response = client.get(reverse("home"))
    assert "董事会机密纪要" in response.content.decode()
    assert logged() == [("leader", secret.pk, "listed")]


# --- the handover page and list after filing -----------------------------------------------------


def _pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def confidential_handover(staff, archivist):
    box = make_box()
    secret = submitted(staff, title="董事会机密纪要", security_level=C)
    public = submitted(staff, title="公开的展会资料", security_level=P)
    handover = handover_receive(
        by=archivist, items=[(secret, secret.copies, secret.pages, True, "封面有机密章", box),
                             (public, public.copies, public.pages, True, "", box)]
    )
    secret.refresh_from_db()
    public.refresh_from_db()
    return handover, secret, public, box


def test_r_lend_4_the_hander_over_sees_a_confidential_item_by_its_number_only(client, staff, confidential_handover):
    handover, secret, public, box = confidential_handover
    client.force_login(staff)

    page = client.get(reverse("handover_detail", args=[handover.pk])).content.decode()
    start = page.index('<tr class="handover-item--hidden">')
    hidden_row = page[start:page.index("</tr>", start)]
    assert secret.archive_number in hidden_row
    assert secret.archive_number in page
    assert "董事会机密纪要" not in page and "封面有机密章" not in page
    assert reverse("record_detail", args=[secret.pk]) not in page
    assert box.full_code not in hidden_row
    assert "公开的展会资料" in page  # what the hander-over may see is named as before

    text = _pdf_text(client.get(reverse("handover_pdf", args=[handover.pk])))
    flat = "".join(text.split())
    assert secret.archive_number in flat
    assert "董事会机密纪要" not in flat and "封面有机密章" not in flat
    assert "公开的展会资料" in flat
    assert not AccessLog.objects.exists()  # nothing confidential was shown


def test_r_access_the_archivist_sees_the_handover_in_full_and_it_is_logged(client, archivist, confidential_handover):
    handover, secret, _public, _box = confidential_handover
    client.force_login(archivist)

    page = client.get(reverse("handover_detail", args=[handover.pk])).content.decode()
    assert "董事会机密纪要" in page
    text = _pdf_text(client.get(reverse("handover_pdf", args=[handover.pk])))
    assert "董事会机密纪要" in "".join(text.split())

    assert logged() == [("archivist", secret.pk, "listed"), ("archivist", secret.pk, "printed")]
    assert all(handover.number in entry.where for entry in AccessLog.objects.all())


# --- the portal: a client's page names its records ---------------------------------------------


def test_r_access_a_client_page_logs_the_confidential_records_it_names(client, archivist, staff, filed_record):
    secret = filed_record(title="董事会机密纪要", security_level=C)
    public = filed_record(title="公开的展会资料", security_level=P)
    profile = Client.objects.create(name="某代理商", client_type="agent")
    profile.records.add(secret, public)
    url = reverse("client_detail", args=[profile.pk])

    client.force_login(archivist)
    assert "董事会机密纪要" in client.get(url).content.decode()
    assert logged() == [("archivist", secret.pk, "listed")]
    assert AccessLog.objects.get().where == url

    client.force_login(staff)  # does not see it: not named, not logged
    assert "董事会机密纪要" not in client.get(url).content.decode()
    assert len(logged()) == 1


def test_r_access_the_record_page_says_where_it_was_opened(client, leadership, filed_record):
    secret = filed_record(title="董事会机密纪要", security_level=C)
    client.force_login(leadership)
    url = reverse("record_detail", args=[secret.pk])
    assert client.get(url).status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.record, entry.action, entry.where) == (leadership, secret, AccessAction.VIEW, url)
