"""The submission form and its files (issue 16, point 6; R-FILE-2, R-FILE-6):
the limits shown before a file is chosen, classes grouped under their parent
class, several files made into several drafts in one go, and 我的提交 in
tabs by state with returned items first."""
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from records.forms_batch import title_from_file_name
from records.models import Attachment, Record, RecordStatus
from records.services import record_create, record_return, record_submit
from tests.conftest import speak_english
from tests.factories import category
from tests.records.test_filetypes import make_image

EXE = b"MZ\x90\x00\x03" + b"\x00" * 200


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


def notes_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def batch_post(files, **overrides):
    return {
        "category": category("XCYX").pk,
        "document_date": "2025-06-01",
        "security_level": "internal",
        "medium": "electronic",
        "retention": "",
        "files": files,
        **overrides,
    }


# --- limits and classes up front -------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["submission_create", "submission_batch"])
def test_r_file_6_limits_are_shown_before_any_file_is_chosen(client, settings, staff, url_name):
    settings.ARCHIVE_MAX_UPLOAD_MB = 17
    client.force_login(staff)
    html = client.get(reverse(url_name)).content.decode()
    assert "Up to 17 MB per file. Allowed types: PDF, DOCX" in html
    file_input = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert 'accept=".pdf,.docx' in file_input and "multiple" in file_input


@pytest.mark.parametrize("url_name", ["submission_create", "submission_batch"])
def test_classes_are_grouped_under_their_parent_class(client, staff, url_name):
    client.force_login(staff)
    html = client.get(reverse(url_name)).content.decode()
    select = re.search(r'<select name="category".*?</select>', html, re.S).group(0)
    group = re.search(r'<optgroup label="XC 对外宣传资料">(.*?)</optgroup>', select, re.S)
    assert group, select[:400]
    assert f'value="{category("XCZH").pk}"' in group.group(1) and "XCZH 展会样稿" in group.group(1)
    assert f'value="{category("HTDL").pk}"' not in group.group(1)
    # A parent class only groups: it is a heading, never an option (R-FILE-2).
    assert f'<option value="{category("XC").pk}"' not in select
    assert select.index('label="HT 合同"') < select.index('label="XC 对外宣传资料"')  # file-plan order


# --- several files, one draft each -----------------------------------------------------------


def test_title_from_file_name():
    assert title_from_file_name("2025 展会 照片_01.jpg") == "2025 展会 照片_01"
    assert title_from_file_name("C:\\扫描\\合同.pdf") == "合同"
    assert title_from_file_name(".txt") == ".txt"


def test_r_file_2_several_files_become_several_drafts(client, staff, private_storage):
    client.force_login(staff)
    files = [
        SimpleUploadedFile("展台正面.png", make_image("PNG")),
        SimpleUploadedFile("展会纪要.txt", "展会纪要正文".encode()),
        SimpleUploadedFile("来宾名单.csv", "姓名\n张三\n".encode()),
    ]
    response = client.post(reverse("submission_batch"), batch_post(files))

    assert response.status_code == 302 and response.url == f"{reverse('my_submissions')}?state=draft"
    drafts = Record.objects.filter(submitted_by=staff).order_by("pk")
    assert [(r.title, r.status, r.category.code, r.medium, r.year) for r in drafts] == [
        ("展台正面", RecordStatus.DRAFT, "XCYX", "electronic", 2025),
        ("展会纪要", RecordStatus.DRAFT, "XCYX", "electronic", 2025),
        ("来宾名单", RecordStatus.DRAFT, "XCYX", "electronic", 2025),
    ]
    assert [list(r.attachments.values_list("original_name", flat=True)) for r in drafts] == [
        ["展台正面.png"], ["展会纪要.txt"], ["来宾名单.csv"]
    ]
    assert any("3 drafts made" in note and "«展会纪要»" in note for note in notes_of(response))
    # The titles stay editable: each draft opens in the submission form.
    edit = client.get(reverse("submission_edit", args=[drafts[0].pk]))
    assert edit.status_code == 200 and 'value="展台正面"' in edit.content.decode()


def test_r_file_2_a_refused_file_does_not_stop_the_others(client, staff, private_storage):
    client.force_login(staff)
    files = [SimpleUploadedFile("纪要.txt", "纪要".encode()), SimpleUploadedFile("setup.exe", EXE)]
    response = client.post(reverse("submission_batch"), batch_post(files))
    assert response.status_code == 302
    assert list(Record.objects.values_list("title", flat=True)) == ["纪要"]
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["纪要.txt"]
    notes = notes_of(response)
    assert any("setup.exe" in note and "refused" in note for note in notes)
    assert any("1 draft made" in note for note in notes)


def test_batch_without_files_or_class_makes_nothing(client, staff, private_storage):
    client.force_login(staff)
    response = client.post(reverse("submission_batch"), batch_post([]))
    assert response.status_code == 200 and "files" in response.context["form"].errors
    response = client.post(
        reverse("submission_batch"), batch_post([SimpleUploadedFile("a.txt", b"a")], category=category("HT").pk)
    )
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not Record.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize(
    "role, status", [(Role.ARCHIVIST, 200), (Role.OUTSIDE_STAFF, 403), (Role.SYSADMIN, 403), (Role.LEADERSHIP, 403)]
)
def test_r_file_2_batch_page_is_for_those_who_hand_in(client, role_users, role, status):
    client.force_login(role_users[role])
    assert client.get(reverse("submission_batch")).status_code == status


def test_batch_wrong_method_and_anonymous(client, staff):
    url = reverse("submission_batch")
    assert client.get(url).status_code == 302
    client.force_login(staff)
    assert client.put(url).status_code == 405


# --- 我的提交 tabs ----------------------------------------------------------------------------


@pytest.fixture
def mine(staff, archivist):
    def make(title, status):
        data = {"title": title, "category": category("XCZH"), "copies": 1, "pages": 1}
        record = record_create(by=staff, data=data).record
        if status in (RecordStatus.SUBMITTED, RecordStatus.RETURNED):
            record = record_submit(record=record, by=staff)
        if status == RecordStatus.RETURNED:
            record = record_return(record=record, by=archivist, reason="缺少页码")
        return record

    return {
        "returned": make("被退回的样稿", RecordStatus.RETURNED),
        "draft": make("草稿一", RecordStatus.DRAFT),
        "draft2": make("草稿二", RecordStatus.DRAFT),
        "submitted": make("等待接收的样稿", RecordStatus.SUBMITTED),
    }


def tab_counts(html):
    return dict(re.findall(r'data-tab="(\w+)"[^>]*>[^<]*<span class="badge count[^"]*">(\d+)</span>', html))


def row_titles(html):
    return re.findall(r'<tr data-record="\d+"[^>]*>\s*<td><a href="[^"]+">([^<]+)</a>', html)


def test_r_file_3_my_submissions_tabs_count_by_state_and_returned_come_first(client, staff, mine):
    client.force_login(staff)
    html = client.get(reverse("my_submissions")).content.decode()
    assert tab_counts(html) == {"returned": "1", "draft": "2", "submitted": "1", "filed": "0", "all": "4"}
    assert list(tab_counts(html))[0] == "returned"
    titles = row_titles(html)
    assert titles[0] == "被退回的样稿" and sorted(titles) == sorted(r.title for r in mine.values())
    assert 'class="submission--returned"' in html and "缺少页码" in html


@pytest.mark.parametrize(
    "tab, titles",
    [
        ("returned", ["被退回的样稿"]),
        ("draft", ["草稿二", "草稿一"]),
        ("submitted", ["等待接收的样稿"]),
        ("filed", []),
        ("nonsense", ["被退回的样稿", "等待接收的样稿", "草稿二", "草稿一"]),
    ],
)
def test_my_submissions_tab_lists_its_state_only(client, staff, mine, tab, titles):
    client.force_login(staff)
    html = client.get(reverse("my_submissions"), {"state": tab}).content.decode()
    assert row_titles(html) == titles
    current = re.findall(r'data-tab="(\w+)" aria-current="page"', html)
    assert current == [tab if tab != "nonsense" else "all"]


def test_my_submissions_shows_only_my_own(client, archivist, mine):
    client.force_login(archivist)
    html = client.get(reverse("my_submissions")).content.decode()
    assert row_titles(html) == [] and tab_counts(html)["all"] == "0"


def test_my_submissions_runs_the_same_queries_at_4_or_24_items(client, staff, mine):
    from tests.query_counts import queries_for

    client.force_login(staff)
    url = reverse("my_submissions")
    queries_for(client, url)  # the first request of a session reads more (login, caches)
    few = queries_for(client, url)
    for number in range(20):
        record_create(by=staff, data={"title": f"草稿{number}", "category": category("XCZH"), "copies": 1, "pages": 1})
    assert queries_for(client, url) == few
