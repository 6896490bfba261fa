"""`manage.py seed_demo`: one login per role, a few hundred realistic records
filed the real way, clients without personal contact data, the contract
ledger, and a second run that changes nothing.

The command runs once for the module, inside a transaction rolled back at
the end, so other test modules still start from an empty database.
"""
import datetime
import hashlib
import io
import random
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.db.models import Count, Max
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, DEPARTMENT_HEAD_LOGINS, EXTRA_MARKETING_STAFF
from accounts.models import User
from accounts.roles import BACK_OFFICE_ROLES, Role
from clients.models import Client, ClientContact
from contracts.models import Contract, ContractHolding, ContractType, Holder, OriginalOrCopy
from documents.models import ControlledDocument, DocumentPaper
from records.demo import BOX_FULL_CODES, RECORD_SCOPES, SEED, record_specs
from records.demo_files import demo_pdf
from records.maintenance.fixity import verify_files
from records.models import Attachment, Location, LocationKind, Record, RecordStatus, ScopeClass, SecurityLevel
from records.selectors import visible_records
from tests.demo_support import demo_settings

# A fast hasher (tests.demo_support) keeps ~20 PBKDF2 rounds out of the
# test; logging in still goes through Django's real authentication backend.

PHONE = re.compile(r"1[3-9]\d{9}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")

CONTRACT_CATEGORIES = {
    ContractType.QUALIFICATION: "HTZZ",
    ContractType.AGENT_AGREEMENT: "HTDL",
    ContractType.OUTDOOR_ADVERTISING: "HTHW",
    ContractType.OTHER: "HTQT",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), demo_settings(tmp_path_factory):
        with transaction.atomic():
            output = io.StringIO()
            with translation.override("en"):
                call_command("seed_demo", stdout=output)
            yield SimpleNamespace(output=output.getvalue())
            transaction.set_rollback(True)


def user(username):
    return User.objects.get(username=username)


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_reports_each_step_and_lists_the_logins(demo):
    for step in ("Departments:", "Users:", "Locations:", "Records:", "Clients:", "Contracts:", "Demo data loaded"):
        assert step in demo.output
    for username, full_name, _role, _code in DEMO_LOGINS:
        assert re.search(rf"^\s+{username}\s+{full_name}\s", demo.output, re.MULTILINE)
    assert DEMO_PASSWORD in demo.output


def test_one_demo_login_per_role_each_in_its_group(demo, db):
    for username, full_name, role, department_code in DEMO_LOGINS:
        person = user(username)
        assert person.full_name == full_name
        assert person.department.code == department_code
        assert [group.name for group in person.groups.all()] == [role.group_name]
        assert person.is_staff == (role in BACK_OFFICE_ROLES)
    members = dict(Group.objects.annotate(n=Count("user")).values_list("name", "n"))
    for role in Role:
        expected = 1 + len(EXTRA_MARKETING_STAFF) if role == Role.STAFF else 1
        expected += sum(head_role == role for _name, _full, head_role, _code in DEPARTMENT_HEAD_LOGINS)
        assert members[role.group_name] == expected, role
    assert user("staff").is_archive_department_member and not user("outsider").is_archive_department_member


def test_demo_logins_authenticate_with_the_demo_password(demo, db):
    request = RequestFactory().post("/accounts/login/")
    for username, _full_name, _role, _code in DEMO_LOGINS:
        assert authenticate(request, username=username, password=DEMO_PASSWORD) == user(username)
        assert authenticate(request, username=username, password="wrong-password") is None
    for username, _full_name in EXTRA_MARKETING_STAFF:
        assert not user(username).has_usable_password()
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is None


def test_r_scope_records_cover_all_classes_and_years(demo, db):
    assert Record.objects.count() >= 300
    scopes = set(Record.objects.values_list("category__scope", flat=True))
    assert scopes == set(ScopeClass.values)
    assert Record.objects.filter(category__children__isnull=False).count() == 0, "only leaf categories are used"
    assert len(set(Record.objects.values_list("year", flat=True))) >= 5
    levels = dict(Record.objects.values_list("security_level").annotate(n=Count("pk")))
    assert levels[SecurityLevel.PUBLIC] > 0 and levels[SecurityLevel.INTERNAL] > levels[SecurityLevel.PUBLIC]
    assert 0.05 <= levels[SecurityLevel.CONFIDENTIAL] / Record.objects.count() <= 0.12
    pricing_minutes = Record.objects.filter(title__contains="价格", category__code="NBHY")
    assert pricing_minutes.exists()
    assert not pricing_minutes.exclude(security_level=SecurityLevel.CONFIDENTIAL).exists()
    assert Record.objects.filter(copies__gt=1).exists() and Record.objects.filter(copies=1).count() > 200  # R-FILE-1
    assert set(Record.objects.values_list("medium", flat=True)) == {"paper", "electronic", "both"}
    assert Record.objects.filter(document_number__regex=r"^市场〔20\d\d〕\d+号$").exists()


def test_r_file_5_filed_records_have_unique_archive_numbers_and_a_box(demo, db, django_user_model):
    catalogued = Record.objects.catalogued()
    assert catalogued.count() >= 300
    numbers = list(catalogued.values_list("archive_number", flat=True))
    assert None not in numbers and len(set(numbers)) == len(numbers)
    assert not catalogued.exclude(location__kind=LocationKind.BOX).exists()  # R-FILE-4
    assert set(catalogued.values_list("filed_by__username", flat=True)) == {"archivist"}
    # Numbers are gap-free per category and year (R-FILE-5).
    for row in catalogued.values("category", "year").annotate(n=Count("pk"), last=Max("item_number")):
        assert row["n"] == row["last"], row


def test_history_names_the_submitter_and_the_archivist(demo, db):
    archivist = user("archivist")
    filed = Record.history.filter(history_change_reason="filed")
    assert filed.count() == Record.objects.catalogued().count()
    assert set(filed.values_list("history_user", flat=True)) == {archivist.pk}
    for entry in Record.history.filter(history_change_reason="submitted")[:50]:
        assert entry.history_user_id == entry.submitted_by_id
    assert not Record.history.filter(history_user__isnull=True).exists()


def test_some_records_wait_for_the_archivist_and_two_are_on_loan(demo, db):
    staff = user("staff")
    waiting = Record.objects.filter(status__in=[RecordStatus.SUBMITTED, RecordStatus.DRAFT])
    assert waiting.filter(status=RecordStatus.SUBMITTED).count() >= 3
    assert waiting.filter(status=RecordStatus.DRAFT).count() >= 2
    assert set(waiting.values_list("submitted_by", flat=True)) == {staff.pk}
    assert not waiting.exclude(archive_number=None).exists()
    assert Record.objects.filter(status=RecordStatus.ON_LOAN).count() == 2
    assert not Record.objects.exclude(
        status__in=[RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.FILED, RecordStatus.ON_LOAN]
    ).exists(), "no state is invented without a service"


def test_r_lend_4_staff_sees_no_confidential_record_the_head_sees_them_all(demo, db):
    staff, head = user("staff"), user("head")
    confidential = Record.objects.filter(security_level=SecurityLevel.CONFIDENTIAL)
    assert confidential.count() > 0
    seen_by_staff = visible_records(staff)
    assert not seen_by_staff.filter(security_level=SecurityLevel.CONFIDENTIAL).exists()
    own_waiting = Record.objects.filter(submitted_by=staff, status__in=RecordStatus.before_filing())
    assert seen_by_staff.count() == (
        Record.objects.catalogued().exclude(security_level=SecurityLevel.CONFIDENTIAL).count() + own_waiting.count()
    )
    assert visible_records(head).filter(security_level=SecurityLevel.CONFIDENTIAL).count() == confidential.count()
    outsider = user("outsider")
    assert set(visible_records(outsider).values_list("security_level", flat=True)) == {SecurityLevel.PUBLIC}


def test_locations_are_two_rooms_of_cabinets_shelves_and_boxes(demo, db):
    assert list(Location.objects.filter(kind=LocationKind.ROOM).values_list("code", flat=True)) == ["R1", "R2"]
    boxes = Location.objects.filter(kind=LocationKind.BOX).select_related("parent__parent__parent")
    assert sorted(box.full_code for box in boxes) == sorted(BOX_FULL_CODES) and len(BOX_FULL_CODES) == 40
    for box in boxes:
        shelf = box.parent
        assert (shelf.kind, shelf.parent.kind, shelf.parent.parent.kind) == ("shelf", "cabinet", "room")
        assert re.fullmatch(r"R\d-C\d\d-S\d-B\d{3}", box.full_code)


def test_r_client_profiles_hold_no_phone_email_or_id_number(demo, db):
    clients = Client.objects.all()
    assert 20 <= clients.count() <= 30
    assert set(clients.values_list("client_type", flat=True)) == {"agent", "partner", "appraised"}
    text_fields = [field.name for field in Client._meta.concrete_fields
                   if isinstance(field, (models.CharField, models.TextField))]
    for client in clients:
        assert client.preferences and client.notes and client.responsible.department.code == "SCB"
        assert client.records.filter(category__scope=ScopeClass.CLIENT).exists()
        texts = [getattr(client, name) for name in text_fields]
        texts += [f"{record.title} {record.keywords} {record.notes}" for record in client.records.all()]
        for text in texts:
            for pattern in (PHONE, EMAIL, ID_NUMBER):
                assert not pattern.search(text), (client.name, text)
    history_texts = Client.history.values_list("notes", "preferences")
    assert not any(PHONE.search(f"{notes} {preferences}") for notes, preferences in history_texts)


def test_r_client_raw_database_holds_no_phone_in_clear_while_the_app_decrypts(demo, db):
    """R-CLIENT: contacts' phone numbers, e-mails and ID numbers are encrypted
    at rest, in the table and in its history, and read back in clear."""
    contacts = list(ClientContact.objects.select_related("client"))
    assert len(contacts) >= Client.objects.count()
    assert all(PHONE.fullmatch(contact.phone) and EMAIL.search(contact.email) for contact in contacts)
    assert any(ID_NUMBER.search(contact.id_number) for contact in contacts)
    with connection.cursor() as cursor:
        for table in (ClientContact._meta.db_table, ClientContact.history.model._meta.db_table):
            cursor.execute(f"SELECT phone, email, id_number FROM {table}")  # noqa: S608 (our own table names)
            rows = cursor.fetchall()
            assert len(rows) >= len(contacts)
            for raw in rows:
                text = " ".join(value or "" for value in raw)
                for pattern in (PHONE, EMAIL, ID_NUMBER):
                    assert not pattern.search(text), (table, text)
                assert raw[0].startswith("fernet:")


def test_r_contract_ledger(demo, db):
    today = timezone.localdate()
    contracts = Contract.objects.select_related("record__category", "counterparty")
    assert 35 <= contracts.count() <= 45
    assert set(contracts.values_list("contract_type", flat=True)) == set(ContractType.values)
    for contract in contracts:
        assert contract.record.category.code == CONTRACT_CATEGORIES[contract.contract_type]
        assert contract.record.status == RecordStatus.FILED and contract.record.archive_number
        assert re.fullmatch(rf"SCB-HT-{contract.signed_on.year}-\d{{4}}", contract.contract_number)
        assert contract.starts_on <= contract.ends_on and contract.amount > 0 and contract.currency == "CNY"
        assert contract.review_date < contract.signed_on and contract.review_result
        if contract.counterparty:
            assert contract.counterparty.name == contract.counterparty_name
    agent_agreements = contracts.filter(contract_type=ContractType.AGENT_AGREEMENT)
    assert agent_agreements.filter(counterparty__isnull=False).count() == agent_agreements.count()
    for contract in agent_agreements:
        assert set(contract.holdings.values_list("holder", "original_or_copy")) == {
            (Holder.GENERAL_MANAGER_OFFICE, OriginalOrCopy.ORIGINAL),
            (Holder.MARKETING, OriginalOrCopy.ORIGINAL),
        }
        assert contract.review_record.category.code == "HTPS"
    outdoor = contracts.filter(contract_type=ContractType.OUTDOOR_ADVERTISING)
    assert not outdoor.exclude(original_or_copy=OriginalOrCopy.COPY).exists()
    assert ContractHolding.objects.count() >= contracts.count()
    assert contracts.filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=30)).count() >= 3
    assert contracts.filter(ends_on__lt=today).count() >= 10
    assert contracts.filter(record__security_level=SecurityLevel.CONFIDENTIAL).exists()


def test_the_data_comes_from_a_fixed_seed(demo, db):
    first, second = record_specs(random.Random(SEED)), record_specs(random.Random(SEED))
    assert first == second
    stored = set(Record.objects.filter(category__scope__in=RECORD_SCOPES).values_list("title", "year"))
    assert stored == {(spec["title"], spec["year"]) for spec in first}


SPEC_DIGEST = """
import datetime, hashlib, random
import django
django.setup()
from clients.demo import client_specs
from contracts.demo import contract_specs
from records.demo import SEED, record_specs
specs = (record_specs(random.Random(SEED)), client_specs(random.Random(SEED)),
         contract_specs(random.Random(SEED), datetime.date(2026, 1, 1)))
print(hashlib.sha256(repr(specs).encode()).hexdigest())
"""


def test_the_data_does_not_depend_on_the_hash_seed():
    """Same data on every machine: string hashing is randomised per process."""
    digests = set()
    for hash_seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "archive_site.settings"}
        result = subprocess.run([sys.executable, "-c", SPEC_DIGEST], env=env, capture_output=True, text=True,
                                check=True, timeout=60)
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_r_file_6_some_records_carry_pdfs_with_chinese_text_and_images(demo, db):
    """Demo records held electronically have files that went through the
    upload checks, so downloads, search in file text and verify_files have
    something to work on."""
    attachments = list(Attachment.objects.select_related("record", "uploaded_by"))
    pdfs = [a for a in attachments if a.content_type == "application/pdf"]
    images = [a for a in attachments if a.content_type == "image/png"]
    assert len(pdfs) >= 3 and len(images) >= 3 and len(pdfs) + len(images) == len(attachments)
    assert "Electronic files:" in demo.output
    for attachment in attachments:
        assert attachment.record.medium in ("electronic", "both") and attachment.record.status == "filed"
        assert attachment.uploaded_by.username == "archivist"
        assert attachment.original_name.endswith((".pdf", ".png"))
    for pdf in pdfs:
        assert pdf.record.title in pdf.extracted_text and "演示数据" in pdf.extracted_text
    assert any(a.record.security_level == SecurityLevel.CONFIDENTIAL for a in pdfs)
    check = verify_files()
    # The check reads the demo's controlled documents' sources and papers too, and any searchable copy.
    other_files = (ControlledDocument.objects.count() + DocumentPaper.objects.count()
                   + Attachment.objects.exclude(ocr_copy="").count())
    assert other_files > 0
    assert (check.files_checked, check.problem_count) == (len(attachments) + other_files, 0)
    # The same bytes on every machine: a file made again from its record is identical.
    first = pdfs[0]
    name, content = demo_pdf(first.record)
    assert (name, hashlib.sha256(content).hexdigest()) == (first.original_name, first.sha256)


def test_a_second_run_changes_nothing(demo, db, django_assert_max_num_queries):
    before = row_counts()
    last_change = Record.objects.aggregate(Max("updated_at"))
    output = io.StringIO()
    with django_assert_max_num_queries(30), translation.override("en"):
        call_command("seed_demo", stdout=output)
    assert "Demo data already exists" in output.getvalue()
    assert row_counts() == before
    assert Record.objects.aggregate(Max("updated_at")) == last_change


def test_refused_in_production_and_nothing_changes(demo, db, settings):
    settings.PRODUCTION = True
    before = row_counts()
    with translation.override("en"), pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == before
