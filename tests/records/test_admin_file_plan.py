"""The back office for policy, the file plan, locations, and the history
pages of every model."""
import datetime

from django.contrib import admin
from django.utils import timezone

from clients.models import Client, ClientPolicy
from contracts.models import Contract
from lending import services as lending_services
from lending.models import LendingPolicy
from records.models import AccessGrant, Attachment, Category, Policy, Record, RecordStatus
from records.models.policy import DEFAULT_ARCHIVE_NUMBER_PATTERN
from records.services import hold_place
from tests.admin_support import admin_url, form_data, staff_user_with_perms
from tests.factories import LocationFactory, RecordFactory

# --- policy: one row, validated pattern ------------------------------------


def test_policy_is_a_singleton(client, department_head):
    client.force_login(department_head)
    response = client.get(admin_url(Policy))
    assert response.status_code == 302
    policy = Policy.objects.get()
    assert response["Location"] == admin_url(Policy, "change", policy.pk)
    assert client.get(admin_url(Policy)).status_code == 302
    assert Policy.objects.count() == 1
    assert client.get(admin_url(Policy, "add")).status_code == 403
    assert client.get(admin_url(Policy, "delete", policy.pk)).status_code == 403


def test_r_file_5_policy_rejects_bad_archive_number_pattern(client, department_head):
    policy = Policy.current()
    history_before = policy.history.count()
    client.force_login(department_head)
    url = admin_url(Policy, "change", policy.pk)
    response = client.post(url, form_data(client.get(url), archive_number_pattern="{foo}-{item}"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "archive_number_pattern" in errors
    assert "foo" in str(errors["archive_number_pattern"])
    policy.refresh_from_db()
    assert policy.archive_number_pattern == DEFAULT_ARCHIVE_NUMBER_PATTERN
    assert policy.history.count() == history_before


def test_policy_change_is_kept_in_history_with_the_head(client, department_head):
    policy = Policy.current()
    client.force_login(department_head)
    url = admin_url(Policy, "change", policy.pk)
    response = client.post(url, form_data(client.get(url), unit_code="SCB2"))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.unit_code == "SCB2"
    assert policy.history.latest().history_user == department_head


def test_archivist_sees_policy_read_only(client, archivist):
    policy = Policy.current()
    client.force_login(archivist)
    url = admin_url(Policy, "change", policy.pk)
    assert client.get(url).status_code == 200
    client.post(url, {"unit_code": "XX"})
    policy.refresh_from_db()
    assert policy.unit_code == "SCB"


# --- file plan and locations ------------------------------------------------


def test_category_cannot_be_moved_under_its_own_sub_class(client, department_head):
    parent, child = Category.objects.get(code="HT"), Category.objects.get(code="HTDL")
    client.force_login(department_head)
    url = admin_url(Category, "change", parent.pk)
    response = client.post(url, form_data(client.get(url), parent=str(child.pk)))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    parent.refresh_from_db()
    assert parent.parent is None


def test_location_with_contents_keeps_its_code(client, archivist):
    room = LocationFactory(code="R9")
    LocationFactory(code="C01", kind="cabinet", parent=room)
    client.force_login(archivist)
    url = admin_url(room.__class__, "change", room.pk)
    client.post(url, form_data(client.get(url), code="R8", name="新名称"))
    room.refresh_from_db()
    assert room.code == "R9" and room.name == "新名称"
    assert room.children.get().full_code == "R9-C01"


# --- every history page opens ----------------------------------------------


def test_every_history_page_opens(client, archivist, department_head, leadership, filed_record):
    record = filed_record()
    # A destruction recorded for an approved list: disposal's lists, items,
    # destructions and witnesses each get history.
    from tests.disposal.support import approved, confirmed, due_record, witnesses

    confirmed(approved(archivist, department_head, leadership, [due_record(filed_record)]), archivist, witnesses())
    # A stocktake with a scan, a difference, a write-off and a repair task: inventory's rows.
    from tests.inventory.support import one_of_each

    one_of_each(archivist, filed_record)
    # Documents: a register line, a document distributed with its paper and
    # copies, an approved purge list, the policy.
    from documents.models import DocumentsPolicy
    from tests.documents.registers_support import distributed, purged
    from tests.documents.support import make_correspondence

    make_correspondence(registered_by=archivist, handler=archivist)
    distributed(archivist, department_head, leadership)
    purged(archivist, department_head)
    DocumentsPolicy.current()
    LocationFactory()
    Policy.current()
    ClientPolicy.current()
    LendingPolicy.current()
    Category.objects.get(code="HTDL").save()  # seeded by a migration, without history
    AccessGrant.objects.create(
        user=archivist,
        record=record,
        ends_at=timezone.now() + datetime.timedelta(days=1),
        reason="核对",
        granted_by=department_head,
    )
    Attachment.objects.create(
        record=record,
        file=f"{record.pk}/stored",
        original_name="扫描件.pdf",
        size=1,
        content_type="application/pdf",
        sha256="c" * 64,
        uploaded_by=archivist,
    )
    client_profile = Client.objects.create(name="某代理商", client_type="agent")
    client_profile.records.add(record)
    contract = Contract.objects.create(
        record=record, contract_type="agent_agreement", contract_number="HT-2024-001", counterparty_name="某代理商"
    )
    contract.holdings.create(holder="marketing")
    hold_place(record=record, by=archivist, reason="审计检查")
    loan_request = lending_services.request_create(
        requester=archivist, record=filed_record(), kind="borrow", days=5, purpose="核对"
    )
    lending_services.request_decide(request=loan_request, approver=department_head, approve=True)
    loan = lending_services.loan_check_out(request=loan_request, by=archivist)
    lending_services.extension_request(
        loan=loan, by=archivist, new_due_at=loan.due_at + datetime.timedelta(days=1), reason="核对"
    )
    lending_services.incident_open(loan=loan, by=archivist, kind="late", description="逾期")
    superuser = staff_user_with_perms("root", is_superuser=True)
    client.force_login(superuser)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "history_form_view") or not hasattr(model, "history"):
            continue  # no history kept (inventory's Scan: its rows are the log)
        with_history = model.history.values_list(model._meta.pk.attname, flat=True)
        obj = model._default_manager.filter(pk__in=with_history).order_by("pk").first()
        assert obj is not None, model
        assert client.get(admin_url(model, "history", obj.pk)).status_code == 200, model
        version = obj.history.earliest()
        url = admin_url(model, "simple_history", obj.pk, version.history_id)
        assert client.get(url).status_code == 200, model
        checked += 1
    assert checked >= 10


def test_history_shows_an_empty_foreign_key_as_empty(client, archivist):
    record = RecordFactory(status=RecordStatus.DRAFT, submitted_by=None)
    record.location = LocationFactory(name="一号档案室")
    record.save()
    client.force_login(archivist)
    content = client.get(admin_url(Record, "history", record.pk)).content.decode()
    assert "一号档案室" in content
    assert "pk=None" not in content
