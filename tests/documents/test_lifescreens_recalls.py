"""The recall list (R-CTRL-5): outstanding recalls grouped by document
with holder, recalled since and last reminded; remind now; record the
return, then destroy (after a confirmation) or keep one reference copy,
printed stamped void from the reference tab; constant queries."""
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from documents.models import ControlledCopy, CopyState, DocumentState
from tests.conftest import speak_english
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import UserFactory
from tests.query_counts import queries_for

pytestmark = pytest.mark.django_db
RECALLS = "/documents/recalls/"


@pytest.fixture
def void_document(private_storage, archivist):
    return make_document(
        state=DocumentState.VOID, marked_by=archivist, title="旧价格管理办法", ended_at=timezone.now(),
        ended_by=archivist,
    )


def _recalled(document, name, **kw):
    recalled_at = kw.pop("recalled_at", timezone.now() - datetime.timedelta(days=3))
    holder = UserFactory(username=name, full_name=name)
    return make_copy(document, holder, state=CopyState.RECALLED, holder=holder, recalled_at=recalled_at, **kw)


def _returned(document, name):
    holder = UserFactory(username=name, full_name=name)
    return make_copy(
        document, holder, state=CopyState.RETURNED, holder=holder, recalled_at=timezone.now(),
        returned_at=timezone.now(),
    )


def test_the_recalls_url_is_the_spec_s():
    assert reverse("documents_recalls") == RECALLS


def test_outstanding_recalls_grouped_by_document_with_holder_and_dates_R_CTRL_5(client, archivist, void_document):
    reminded = timezone.now() - datetime.timedelta(days=1)
    first = _recalled(void_document, "张三", last_reminded_at=reminded)
    _recalled(void_document, "李四")
    other = make_document(
        state=DocumentState.VOID, marked_by=archivist, title="旧合同管理规定", ended_at=timezone.now()
    )
    _recalled(other, "王五")
    in_force = make_document(state=DocumentState.IN_FORCE, marked_by=archivist, title="现行规定")
    make_copy(in_force, UserFactory(full_name="赵六"), state=CopyState.SIGNED)
    client.force_login(archivist)
    speak_english(client)
    page = client.get(RECALLS).content.decode()
    assert page.count('class="panel recall-group"') == 2
    assert f'id="document-{void_document.pk}"' in page and f'id="document-{other.pk}"' in page
    assert "张三" in page and "李四" in page and "王五" in page
    assert "赵六" not in page and "现行规定" not in page
    assert timezone.localtime(first.recalled_at).strftime("%Y-%m-%d %H:%M") in page
    assert timezone.localtime(reminded).strftime("%Y-%m-%d %H:%M") in page
    assert "Record the return" in page and "Remind now" in page


def test_the_head_reads_the_recalls_without_acting_and_staff_may_not(client, department_head, staff, void_document):
    _recalled(void_document, "张三")
    client.force_login(department_head)
    speak_english(client)
    page = client.get(RECALLS).content.decode()
    assert "张三" in page
    assert "Record the return" not in page and "Remind now" not in page
    client.force_login(staff)
    assert client.get(RECALLS).status_code == 403


def test_remind_now_reminds_the_holders_of_the_document(client, archivist, void_document):
    copy = _recalled(void_document, "张三")
    client.force_login(archivist)
    speak_english(client)
    url = reverse("documents_recall_remind", args=[void_document.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "1 holder of 旧价格管理办法 was reminded" in response.content.decode()
    assert fresh(copy).last_reminded_at is not None


def test_remind_refused_when_nothing_is_outstanding(client, archivist, void_document):
    client.force_login(archivist)
    speak_english(client)
    response = client.post(reverse("documents_recall_remind", args=[void_document.pk]), follow=True)
    assert "No copy of 旧价格管理办法 is awaiting its return." in response.content.decode()


def test_remind_now_only_for_a_document_with_copies_still_out(client, archivist, void_document):
    _returned(void_document, "张三")
    client.force_login(archivist)
    page = client.get(RECALLS).content.decode()
    assert f'data-document="{void_document.pk}"' in page
    assert reverse("documents_recall_remind", args=[void_document.pk]) not in page


def test_record_the_return_then_destroy_after_a_confirmation_R_CTRL_5(client, archivist, void_document):
    copy = _recalled(void_document, "张三")
    client.force_login(archivist)
    speak_english(client)
    assert client.get(reverse("documents_copy_return", args=[copy.pk])).status_code == 405
    client.post(reverse("documents_copy_return", args=[copy.pk]))
    copy = fresh(copy)
    assert copy.state == CopyState.RETURNED and copy.returned_to == archivist
    page = client.get(RECALLS).content.decode()
    assert reverse("documents_copy_destroy", args=[copy.pk]) in page
    assert reverse("documents_copy_keep_reference", args=[copy.pk]) in page
    confirm = client.get(reverse("documents_copy_destroy", args=[copy.pk])).content.decode()
    assert "cannot be taken back" in confirm and copy.control_number in confirm
    assert fresh(copy).state == CopyState.RETURNED  # the page changed nothing
    response = client.post(reverse("documents_copy_destroy", args=[copy.pk]), {"confirm": "1"}, follow=True)
    assert f"Copy {copy.control_number} is destroyed." in response.content.decode()
    copy = fresh(copy)
    assert copy.state == CopyState.DESTROYED and copy.destroyed_by == archivist


def test_a_copy_not_returned_is_not_destroyed(client, archivist, void_document):
    copy = _recalled(void_document, "张三")
    client.force_login(archivist)
    speak_english(client)
    response = client.get(reverse("documents_copy_destroy", args=[copy.pk]), follow=True)
    assert "Only a returned copy can be destroyed" in response.content.decode()
    response = client.post(reverse("documents_copy_destroy", args=[copy.pk]), {"confirm": "1"}, follow=True)
    assert "only a returned copy is destroyed" in response.content.decode()
    assert fresh(copy).state == CopyState.RECALLED


def test_keep_one_reference_copy_and_print_it_stamped_void_R_CTRL_5(client, archivist, void_document):
    kept = _returned(void_document, "张三")
    second = _returned(void_document, "李四")
    client.force_login(archivist)
    speak_english(client)
    response = client.post(reverse("documents_copy_keep_reference", args=[kept.pk]), follow=True)
    assert response.redirect_chain[-1][0] == f"{RECALLS}?show=reference"
    page = response.content.decode()
    assert f"/documents/copies/{kept.pk}/reference/" in page
    assert fresh(kept).state == CopyState.REFERENCE
    printed = client.get(reverse("documents_reference_download", args=[kept.pk]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(b"".join(printed.streaming_content) if printed.streaming else printed.content))
    assert all("作废" in page.extract_text() for page in text.pages)
    response = client.post(reverse("documents_copy_keep_reference", args=[second.pk]), follow=True)
    assert f"Copy {kept.control_number} is already kept for reference" in response.content.decode()
    assert fresh(second).state == CopyState.RETURNED


@pytest.mark.parametrize("who", ["staff", "department_head"])
def test_only_the_archivist_takes_back_destroys_and_keeps(client, request, void_document, who):
    recalled = _recalled(void_document, "张三")
    returned = _returned(void_document, "李四")
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("documents_copy_return", args=[recalled.pk])).status_code == 403
    assert client.post(reverse("documents_recall_remind", args=[void_document.pk])).status_code == 403
    assert client.get(reverse("documents_copy_destroy", args=[returned.pk])).status_code == 403
    assert client.post(reverse("documents_copy_destroy", args=[returned.pk])).status_code == 403
    assert client.post(reverse("documents_copy_keep_reference", args=[returned.pk])).status_code == 403
    assert fresh(recalled).state == CopyState.RECALLED and fresh(recalled).last_reminded_at is None
    assert fresh(returned).state == CopyState.RETURNED


def test_purged_lines_are_not_listed(client, archivist, department_head, void_document):
    from documents.models import RegisterPurge

    copy = _recalled(void_document, "张三")
    purge = RegisterPurge.objects.create(number="QC-1", proposed_by=archivist, proposed_at=timezone.now())
    ControlledCopy.objects.filter(pk=copy.pk).update(purge=purge)
    client.force_login(archivist)
    assert "张三" not in client.get(RECALLS).content.decode()


def _many_recalls(archivist, documents, per_document):
    now = timezone.now()
    for number in range(documents):
        document = make_document(state=DocumentState.VOID, marked_by=archivist, ended_at=now)
        holders = UserFactory.create_batch(per_document)
        ControlledCopy.objects.bulk_create(
            ControlledCopy(
                document=document, copy_number=index + 1, control_number=f"Q-{document.pk}-{index + 1}",
                recipient_user=holder, holder=holder, state=CopyState.RECALLED if index % 2 else CopyState.RETURNED,
                issued_by=archivist, issued_at=now, recalled_at=now, returned_to=archivist,
            )
            for index, holder in enumerate(holders)
        )


def test_recall_list_queries_do_not_grow_with_rows(client, archivist, private_storage):
    client.force_login(archivist)
    _many_recalls(archivist, 2, 5)
    ControlledCopy.objects.filter(copy_number=1).update(state=CopyState.REFERENCE)
    few = queries_for(client, RECALLS), queries_for(client, f"{RECALLS}?show=reference")
    _many_recalls(archivist, 10, 100)
    ControlledCopy.objects.filter(copy_number__lte=3).update(state=CopyState.REFERENCE)
    many = queries_for(client, RECALLS), queries_for(client, f"{RECALLS}?show=reference")
    assert few == many
    assert ControlledCopy.objects.count() == 1010
