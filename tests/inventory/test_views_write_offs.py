"""The write-off screens (核销, R-INV-3): the request with evidence files
under records' upload rules, refusals (on loan, under a hold, a file the
rules reject) that save nothing and store no file, the list (pending
first), a write-off's page, and the department head's approval or
refusal, never of their own request."""
import gc

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inventory import services
from inventory.models import Difference, DifferenceKind, Resolution, WriteOff, WriteOffKind, WriteOffState
from records.models import Attachment, Record, RecordStatus
from records.services import hold_place
from tests.disposal.support import with_file
from tests.disposal.views_support import shown_messages, signed_in, text_of
from tests.factories import category
from tests.inventory.support import filed_in, fresh, on_loan, shelves, state
from tests.query_counts import queries_for
from tests.records.test_filetypes import EXE, make_image

YEAR = timezone.localdate().year
NEW = reverse("inventory_write_off_new")


def stored_files(root):
    gc.collect()  # an upload rolled back is removed when its guard is collected
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def png(name="遗失报告.png"):
    return SimpleUploadedFile(name, make_image("PNG"), content_type="image/png")


def _post(client, record, *files, **extra):
    data = {"archive_number": record.archive_number, "kind": WriteOffKind.LOSS, "reason": "多年查找未果",
            "evidence": list(files) or [png()], "confirm": "1", **extra}
    return client.post(NEW, data)


def _errors(response):
    form = response.context["form"]
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def test_r_inv_3_the_form_is_prefilled_from_the_reconciliation(client, archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    record = filed_in(filed_record, box)[0]
    stocktake = services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    html = text_of(signed_in(client, archivist).get(f"{NEW}?record={record.pk}&stocktake={stocktake.pk}"))
    assert f'value="{record.archive_number}"' in html
    assert f'name="stocktake" value="{stocktake.pk}"' in html
    assert "Transfer" in html and "Void" in html and "Loss" in html
    assert 'type="file"' in html and "multiple" in html


def test_r_inv_3_a_request_keeps_reason_and_every_evidence_file(client, archivist, filed_record, private_storage):
    record = filed_record()
    response = _post(signed_in(client, archivist), record, png("报告一.png"), png("报告二.png"),
                     archive_number=f"  {record.archive_number}\r")  # as a scanner types it
    write_off = WriteOff.objects.get(record=record)
    assert response.status_code == 302 and response.url == reverse("inventory_write_off_detail", args=[write_off.pk])
    assert (write_off.state, write_off.kind, write_off.reason, write_off.requested_by) == (
        WriteOffState.REQUESTED, WriteOffKind.LOSS, "多年查找未果", archivist)
    names = sorted(write_off.evidence.values_list("original_name", flat=True))
    assert names == ["报告一.png", "报告二.png"]
    assert len(stored_files(private_storage)) == 2
    html = text_of(client.get(response.url))
    for attachment in write_off.evidence.all():
        assert reverse("attachment_download", args=[attachment.pk]) in html
    assert "Loss" in html and "多年查找未果" in html and "Awaiting the department head" in html
    assert reverse("record_detail", args=[record.pk]) in html


def test_r_inv_1_a_write_off_from_the_stocktake_resolves_the_missing_difference(client, archivist, filed_record,
                                                                                private_storage):
    _room, _cabinet, (box,) = shelves(1)
    record = filed_in(filed_record, box)[0]
    stocktake = services.stocktake_open(year=YEAR, locations=[box], by=archivist)
    _post(signed_in(client, archivist), record, stocktake=stocktake.pk)
    assert WriteOff.objects.get(record=record).stocktake == stocktake
    difference = Difference.objects.get(record=record)
    assert (difference.kind, difference.resolution) == (DifferenceKind.MISSING, Resolution.WRITE_OFF_OPENED)


def test_r_inv_3_a_record_on_loan_is_refused_nothing_saved_no_file_stored(client, archivist, filed_record,
                                                                          private_storage):
    record = filed_record()
    on_loan(record, archivist)
    before, files = state(), Attachment.objects.count()
    response = _post(signed_in(client, archivist), record)
    assert response.status_code == 200
    assert "cannot be written off" in _errors(response)
    assert state() == before and Attachment.objects.count() == files
    assert stored_files(private_storage) == []


def test_r_inv_3_a_record_under_a_hold_is_refused_nothing_saved_no_file_stored(client, archivist, filed_record,
                                                                               private_storage):
    record = filed_record()
    hold_place(record=record, by=archivist, reason="审计冻结")
    before, files = state(), Attachment.objects.count()
    response = _post(signed_in(client, archivist), record)
    assert "frozen by a hold" in _errors(response)
    assert state() == before and Attachment.objects.count() == files
    assert stored_files(private_storage) == []


def test_r_inv_3_evidence_the_upload_rules_reject_is_named_and_nothing_is_saved(client, archivist, filed_record,
                                                                                private_storage):
    record = filed_record()
    before = state()
    bad = SimpleUploadedFile("扫描件.pdf", EXE, content_type="application/pdf")
    response = _post(signed_in(client, archivist), record, png("先传的.png"), bad)
    assert response.status_code == 200
    errors = _errors(response)
    assert "扫描件.pdf" in errors and "None of the files was saved" in errors
    assert state() == before and not Attachment.objects.filter(record=record).exists()
    assert stored_files(private_storage) == []
    assert 'name="reason"' in text_of(response) and "多年查找未果" in text_of(response)


def test_an_unknown_archive_number_is_named(client, archivist, private_storage):
    response = _post(signed_in(client, archivist), Record(archive_number="NO-SUCH-1"))
    assert "NO-SUCH-1" in _errors(response)
    assert not WriteOff.objects.exists() and stored_files(private_storage) == []


@pytest.mark.parametrize("role", ["staff", "department_head", "leadership"])
def test_r_inv_3_who_does_not_file_records_cannot_request(client, request, filed_record, role, private_storage):
    record = filed_record()
    client = signed_in(client, request.getfixturevalue(role))
    assert client.get(NEW).status_code == 403
    assert _post(client, record).status_code == 403
    assert not WriteOff.objects.exists() and stored_files(private_storage) == []


def _requested(record, archivist, **kwargs):
    return services.write_off_request(record=record, kind=WriteOffKind.LOSS, reason="找不到了",
                                      evidence=[with_file(record, archivist)], by=archivist, **kwargs)


def test_r_inv_3_the_head_approves_after_a_confirmation_page(client, archivist, department_head, filed_record):
    record = filed_record()
    write_off = _requested(record, archivist)
    url = reverse("inventory_write_off_approve", args=[write_off.pk])
    signed_in(client, department_head)
    detail = text_of(client.get(reverse("inventory_write_off_detail", args=[write_off.pk])))
    assert url in detail
    page = text_of(client.get(url))
    assert "never given to another record" in page and fresh(write_off).state == WriteOffState.REQUESTED
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert (fresh(write_off).state, fresh(write_off).decided_by) == (WriteOffState.APPROVED, department_head)
    assert fresh(record).status == RecordStatus.WRITTEN_OFF
    assert any("written off" in message for message in shown_messages(client, response))


def test_r_inv_3_the_head_refuses_with_a_reason(client, archivist, department_head, filed_record):
    record = filed_record()
    write_off = _requested(record, archivist)
    url = reverse("inventory_write_off_refuse", args=[write_off.pk])
    signed_in(client, department_head)
    before = state()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert state() == before
    client.post(url, {"reason": "请继续查找"})
    write_off = fresh(write_off)
    assert (write_off.state, write_off.refusal_reason) == (WriteOffState.REFUSED, "请继续查找")
    assert fresh(record).status == RecordStatus.FILED
    assert "请继续查找" in text_of(client.get(reverse("inventory_write_off_detail", args=[write_off.pk])))


def test_r_inv_3_nobody_approves_their_own_request(client, department_head, filed_record):
    """A head who also files records asks for a write-off: the approval
    page sends them back, and a posted approval is refused with nothing
    changed."""
    department_head.user_permissions.add(
        Permission.objects.get(codename="file_record", content_type__app_label="records"))
    head = fresh(department_head)
    record = filed_record()
    write_off = _requested(record, head)
    url = reverse("inventory_write_off_approve", args=[write_off.pk])
    signed_in(client, head)
    response = client.get(url)
    assert response.status_code == 302
    assert any("own write-off" in message for message in shown_messages(client, response))
    before = state()
    response = client.post(url, {"confirm": "1"})
    assert any("never their own request" in message for message in shown_messages(client, response))
    assert state() == before and fresh(record).status == RecordStatus.FILED


@pytest.mark.parametrize("role", ["archivist", "staff", "leadership"])
@pytest.mark.parametrize("name", ["inventory_write_off_approve", "inventory_write_off_refuse"])
def test_r_inv_3_a_role_without_the_permission_is_refused_and_nothing_changes(
    client, request, archivist, filed_record, role, name
):
    write_off = _requested(filed_record(), archivist)
    client = signed_in(client, request.getfixturevalue(role))
    before = state()
    assert client.get(reverse(name, args=[write_off.pk])).status_code == 403
    assert client.post(reverse(name, args=[write_off.pk]), {"confirm": "1", "reason": "不行"}).status_code == 403
    assert state() == before


def test_the_list_shows_pending_first_and_filters_by_state(client, archivist, department_head, filed_record):
    decided = _requested(filed_record(), archivist)
    services.write_off_refuse(write_off=decided, by=department_head, reason="不批")
    pending = _requested(filed_record(), archivist)
    html = text_of(signed_in(client, department_head).get(reverse("inventory_write_offs")))
    assert html.index(f'data-write-off="{pending.pk}"') < html.index(f'data-write-off="{decided.pk}"')
    assert "Awaiting the department head" in html and "Refused" in html
    only = text_of(client.get(reverse("inventory_write_offs") + "?state=refused"))
    assert f'data-write-off="{decided.pk}"' in only and f'data-write-off="{pending.pk}"' not in only
    assert signed_in(client, archivist).get(reverse("inventory_write_offs")).status_code == 200


@pytest.mark.parametrize("role", ["staff", "leadership"])
def test_who_does_not_read_stocktakes_cannot_read_write_offs(client, request, archivist, filed_record, role):
    write_off = _requested(filed_record(), archivist)
    client = signed_in(client, request.getfixturevalue(role))
    assert client.get(reverse("inventory_write_offs")).status_code == 403
    assert client.get(reverse("inventory_write_off_detail", args=[write_off.pk])).status_code == 403


def _many(archivist, count, start):
    """`count` write-offs of new records, every other one waiting."""
    records = Record.objects.bulk_create([
        Record(archive_number=f"WO-{n:05d}", item_number=n + 1, title="核销查询", category=category(), year=2024,
               status=RecordStatus.FILED)
        for n in range(start, start + count)
    ])
    now = timezone.now()
    WriteOff.objects.bulk_create([
        WriteOff(record=record, kind=WriteOffKind.LOSS, reason="查询", requested_by=archivist, requested_at=now,
                 state=WriteOffState.REQUESTED if n % 2 else WriteOffState.REFUSED)
        for n, record in enumerate(records)
    ])


def test_the_write_off_list_runs_the_same_queries_at_any_size(client, archivist, department_head):
    signed_in(client, department_head)
    url = reverse("inventory_write_offs")
    _many(archivist, 10, 0)
    queries_for(client, url)  # the session and permissions read once
    small = queries_for(client, url)
    _many(archivist, 300, 10)  # more rows than a page holds
    assert queries_for(client, url) == small
    assert queries_for(client, url + "?state=requested&page=3") == small


def test_r_inv_3_the_refusal_reads_in_chinese(client, archivist, filed_record, private_storage):
    """The default interface is Chinese: the archivist reads why."""
    record = filed_record()
    on_loan(record, archivist)
    client.force_login(archivist)
    response = _post(client, record)
    assert "不能核销" in _errors(response) and record.archive_number in _errors(response)
    assert not WriteOff.objects.exists() and stored_files(private_storage) == []
