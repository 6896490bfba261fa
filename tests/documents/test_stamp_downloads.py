"""Downloading stamped copies (R-CTRL-2, R-CTRL-5): only the holder, once
signed for, gets their copy, stamped on every page with its own controlled
number and their name, and every download is logged; anyone else is
answered 404 and nothing is logged; the archivist downloads a void
document's reference copy stamped 作废."""
import io
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from documents.exceptions import DocumentsRefused
from documents.models import CopyDownload, CopyState, DocumentState
from documents.services.downloads import copy_download, reference_download
from tests.conftest import speak_english
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def document(archivist):
    return make_document(pages=3, state=DocumentState.IN_FORCE, title="市场活动管理规定", marked_by=archivist)


def download_url(copy):
    return reverse("documents_copy_download", args=[copy.pk])


def reference_url(copy):
    return reverse("documents_reference_download", args=[copy.pk])


def page_texts(response):
    """The text of each page of a downloaded copy, streamed from its
    temporary file with its length told."""
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def signed_in(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_r_ctrl_2_the_holder_downloads_their_copy_stamped_on_every_page_and_it_is_logged(client, document):
    holder = UserFactory(full_name="王小明")
    other = make_copy(document, state=CopyState.SIGNED)
    copy = make_copy(document, recipient_user=holder, state=CopyState.SIGNED)

    response = signed_in(client, holder).get(download_url(copy))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert quote(f"市场活动管理规定（{copy.control_number}）.pdf", safe="") in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    texts = page_texts(response)
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert copy.control_number in text and "王小明" in text and "受控文件 未经许可不得复制" in text
        assert other.control_number not in text and f"第{number}页" in text
    [log] = CopyDownload.objects.all()
    assert (log.copy, log.by, log.as_reference) == (copy, holder, False)
    signed_in(client, holder).get(download_url(copy))
    assert CopyDownload.objects.filter(copy=copy, by=holder).count() == 2


def test_r_ctrl_2_a_department_copy_names_the_department_and_who_signed_for_it(client, document):
    department = DepartmentFactory(code="CWB", name="财务部")
    signer = UserFactory(full_name="李四", department=department)
    colleague = UserFactory(department=department)
    copy = make_copy(document, recipient_department=department, state=CopyState.SIGNED, holder=signer)

    texts = page_texts(signed_in(client, signer).get(download_url(copy)))
    assert all(copy.control_number in text and "财务部" in text and "李四" in text for text in texts)
    # The department's other members are not its holder.
    assert signed_in(client, colleague).get(download_url(copy)).status_code == 404
    assert CopyDownload.objects.filter(by=colleague).count() == 0


@pytest.mark.parametrize("who", ["stranger", "archivist", "recipient_of_another_copy"])
def test_r_ctrl_2_someone_elses_copy_is_not_found_and_nothing_is_logged(client, document, archivist, who):
    copy = make_copy(document, state=CopyState.SIGNED)
    user = {
        "stranger": UserFactory(),
        "archivist": archivist,
        "recipient_of_another_copy": make_copy(document, state=CopyState.SIGNED).recipient_user,
    }[who]

    assert signed_in(client, user).get(download_url(copy)).status_code == 404
    assert not CopyDownload.objects.exists()
    with pytest.raises(DocumentsRefused):
        copy_download(copy=copy, by=user)
    assert not CopyDownload.objects.exists()


def test_a_stranger_is_not_told_a_copy_exists_whatever_its_state(client, document):
    unsigned = make_copy(document)
    assert signed_in(client, UserFactory()).get(download_url(unsigned)).status_code == 404
    client.logout()
    response = client.get(download_url(unsigned))
    assert response.status_code in (302, 404) and b"%PDF" not in response.content
    assert not CopyDownload.objects.exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [(CopyState.ISSUED, "Sign for copy"), (CopyState.RECALLED, "can no longer be downloaded")],
)
def test_r_ctrl_2_an_unsigned_or_recalled_copy_is_not_downloadable(client, document, state, message):
    recipient = UserFactory()
    copy = make_copy(document, recipient_user=recipient, state=state, holder=recipient if state != CopyState.ISSUED else None)

    response = signed_in(client, recipient).get(download_url(copy))

    assert response.status_code == 302 and response["Location"] == reverse("documents_my_copies")
    assert any(message in text and copy.control_number in text for text in messages_of(response))
    assert not CopyDownload.objects.exists()


def test_a_broken_source_is_refused_with_a_message_and_nothing_is_logged(client, document):
    holder = UserFactory()
    copy = make_copy(document, recipient_user=holder, state=CopyState.SIGNED)
    document.source_file.save("坏文件.pdf", ContentFile(b"%PDF-1.7 broken"), save=True)

    response = signed_in(client, holder).get(download_url(copy))

    assert response.status_code == 302
    assert any("cannot be read as a PDF" in text for text in messages_of(response))
    assert not CopyDownload.objects.exists()
    assert fresh(copy).state == CopyState.SIGNED


def test_only_get_downloads(client, document):
    holder = UserFactory()
    copy = make_copy(document, recipient_user=holder, state=CopyState.SIGNED)
    assert signed_in(client, holder).post(download_url(copy)).status_code == 405
    assert signed_in(client, holder).post(reference_url(copy)).status_code == 405
    assert not CopyDownload.objects.exists()


@pytest.fixture
def void_document(archivist):
    return make_document(pages=2, state=DocumentState.VOID, title="旧版市场活动管理规定", marked_by=archivist)


def test_r_ctrl_5_the_archivist_downloads_the_reference_copy_stamped_void_and_it_is_logged(
    client, archivist, void_document
):
    reference = make_copy(void_document, state=CopyState.REFERENCE)

    response = signed_in(client, archivist).get(reference_url(reference))

    assert response.status_code == 200
    texts = page_texts(response)
    assert len(texts) == 2 and all("作废" in text and reference.control_number in text for text in texts)
    [log] = CopyDownload.objects.all()
    assert (log.copy, log.by, log.as_reference) == (reference, archivist, True)


def test_r_ctrl_5_a_holders_copy_is_never_stamped_void(client, document):
    holder = UserFactory()
    copy = make_copy(document, recipient_user=holder, state=CopyState.SIGNED)
    assert all("作废" not in text for text in page_texts(signed_in(client, holder).get(download_url(copy))))


def test_r_ctrl_5_only_the_archivist_downloads_a_reference_copy(client, staff, department_head, void_document):
    reference = make_copy(void_document, state=CopyState.REFERENCE)
    for user in (staff, department_head, reference.recipient_user):
        assert signed_in(client, user).get(reference_url(reference)).status_code == 404
    assert not CopyDownload.objects.exists()


@pytest.mark.parametrize("state", [CopyState.SIGNED, CopyState.RETURNED, CopyState.DESTROYED])
def test_r_ctrl_5_only_a_reference_copy_downloads_as_reference(client, archivist, void_document, state):
    copy = make_copy(void_document, state=state)

    response = signed_in(client, archivist).get(reference_url(copy))

    assert response.status_code == 302
    assert response["Location"] == reverse("documents_document_detail", args=[void_document.pk])
    assert any("Only the reference copy of a void document" in text for text in messages_of(response))
    with pytest.raises(DocumentsRefused):
        reference_download(copy=copy, by=archivist)
    assert not CopyDownload.objects.exists()
