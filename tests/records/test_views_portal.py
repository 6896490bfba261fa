"""The staff portal: home, record list, record detail, attachment download.

Visibility is decided by records.selectors.visible_records; these tests check
that every page goes through it: a record a user may not see is absent from
lists and counts, and its detail and files answer 404, never 403
(R-LEND-4, R-ACCESS)."""
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.roles import Role
from records.history import ChangeReason
from records.models import Attachment, Category, RecordStatus, SecurityLevel
from tests.factories import LocationFactory, RecordFactory

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL
ALL_ROLES = list(Role)


def make_attachment(record, user, content=b"%PDF-1.4 archive test file", name="代理商协议扫描件.pdf"):
    return Attachment.objects.create(
        record=record,
        file=ContentFile(content, name="upload.pdf"),
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )


def logged_in(client, user):
    client.force_login(user)
    return client


# --- anonymous and wrong method -------------------------------------------------


@pytest.mark.parametrize(
    "url_name, needs_pk",
    [("home", False), ("record_list", False), ("record_detail", True), ("attachment_download", True)],
)
def test_anonymous_is_sent_to_login(client, db, url_name, needs_pk):
    url = reverse(url_name, args=[1] if needs_pk else [])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("url_name", ["home", "record_list", "record_detail", "attachment_download"])
def test_portal_views_are_get_only(client, staff, filed_record, private_storage, url_name, method):
    record = filed_record(security_level=P)
    attachment = make_attachment(record, staff)
    pk = {"record_detail": record.pk, "attachment_download": attachment.pk}.get(url_name)
    url = reverse(url_name, args=[pk] if pk else [])
    response = getattr(logged_in(client, staff), method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert not response.streaming and record.title not in response.content.decode()
    assert Attachment.objects.get() == attachment  # nothing was removed or changed


def test_head_is_allowed_on_the_record_list(client, staff, filed_record):
    filed_record(title="年度宣传计划", security_level=P)
    client = logged_in(client, staff)
    response = client.head(reverse("record_list"))
    assert response.status_code == 200
    assert response.content == b""  # a HEAD answer has headers only
    assert response["Content-Type"] == client.get(reverse("record_list"))["Content-Type"]


# --- home ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_opens_for_every_role(client, role_users, role):
    response = logged_in(client, role_users[role]).get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "records/home.html"


def test_r_lend_4_home_for_staff_neither_lists_nor_counts_confidential(client, staff, filed_record):
    filed_record(title="年度代理商协议", security_level=I)
    filed_record(title="公开宣传册", security_level=P)
    for n in range(3):
        filed_record(title=f"董事会机密纪要{n}", security_level=C)

    response = logged_in(client, staff).get(reverse("home"))

    html = response.content.decode()
    assert "年度代理商协议" in html and "公开宣传册" in html
    assert "董事会机密纪要" not in html
    assert response.context["status_counts"] == [
        {"status": RecordStatus.FILED, "label": RecordStatus.FILED.label, "count": 2, "capped": False}
    ]
    assert 'data-status="filed">2<' in html


def test_r_lend_4_home_for_leadership_counts_confidential(client, leadership, filed_record):
    filed_record(title="年度代理商协议", security_level=I)
    filed_record(title="董事会机密纪要", security_level=C)
    response = logged_in(client, leadership).get(reverse("home"))
    assert "董事会机密纪要" in response.content.decode()
    assert response.context["status_counts"][0]["count"] == 2


def test_home_counts_by_status_and_links_to_the_filtered_list(client, archivist, filed_record):
    filed_record(security_level=I)
    missing = filed_record(security_level=I)
    missing.status = RecordStatus.MISSING
    missing.save()
    RecordFactory(status=RecordStatus.SUBMITTED)

    response = logged_in(client, archivist).get(reverse("home"))

    counts = {item["status"]: item["count"] for item in response.context["status_counts"]}
    assert counts == {RecordStatus.SUBMITTED: 1, RecordStatus.FILED: 1, RecordStatus.MISSING: 1}
    assert f'href="{reverse("record_list")}?status=missing"' in response.content.decode()


def test_home_newest_records_link_to_their_detail(client, staff, filed_record):
    record = filed_record(title="新到代理商协议", security_level=I)
    html = logged_in(client, staff).get(reverse("home")).content.decode()
    assert reverse("record_detail", args=[record.pk]) in html
    assert record.archive_number in html


# --- navigation (base.html) ----------------------------------------------------------


def test_navigation_shows_name_roles_and_post_logout(client, staff):
    staff.full_name = "张小梅"
    staff.save()
    html = logged_in(client, staff).get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "张小梅" in html
    assert str(Role.STAFF.label) in html
    for url_name in ("home", "record_list", "catalogue", "password_change"):
        assert f'href="{reverse(url_name)}"' in html
    assert f'method="post" action="{reverse("logout")}"' in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'href="/admin/"' not in html


@pytest.mark.parametrize(
    "role, sees_admin_link",
    [
        (Role.STAFF, False),
        (Role.OUTSIDE_STAFF, False),
        (Role.LEADERSHIP, False),
        (Role.ARCHIVIST, True),
        (Role.DEPARTMENT_HEAD, True),
        (Role.SYSADMIN, True),
    ],
)
def test_back_office_link_only_for_back_office_roles(client, role_users, role, sees_admin_link):
    html = logged_in(client, role_users[role]).get(reverse("home")).content.decode()
    assert ('href="/admin/"' in html) is sees_admin_link


def test_messages_are_shown(client, staff, settings):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import MessageEncoder

    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    logged_in(client, staff)
    session = client.session
    session["_messages"] = MessageEncoder().encode([Message(constants.SUCCESS, "档案已保存")])
    session.save()

    html = client.get(reverse("home")).content.decode()

    assert '<div class="message message--success" role="status">档案已保存</div>' in html


# --- record list -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_record_list_opens_for_every_role(client, role_users, filed_record, role):
    filed_record(title="公开宣传册", security_level=P)
    response = logged_in(client, role_users[role]).get(reverse("record_list"))
    assert response.status_code == 200
    assert "公开宣传册" in response.content.decode()  # everyone sees public records


def test_r_lend_4_record_list_for_staff_hides_confidential(client, staff, filed_record):
    filed_record(title="年度代理商协议", security_level=I)
    filed_record(title="董事会机密纪要", security_level=C)
    response = logged_in(client, staff).get(reverse("record_list"))
    html = response.content.decode()
    assert "年度代理商协议" in html
    assert "董事会机密纪要" not in html
    assert response.context["page_obj"].paginator.count == 1
    # Even asking for confidential records directly finds nothing.
    response = client.get(reverse("record_list"), {"security_level": C})
    assert response.context["page_obj"].paginator.count == 0
    assert "董事会机密纪要" not in response.content.decode()


def test_record_list_for_outside_staff_shows_public_only(client, outside_staff, filed_record):
    filed_record(title="公开宣传册", security_level=P)
    filed_record(title="内部周报", security_level=I)
    html = logged_in(client, outside_staff).get(reverse("record_list")).content.decode()
    assert "公开宣传册" in html
    assert "内部周报" not in html


def test_record_list_paginates_20_per_page_newest_first(client, staff, filed_record):
    records = [filed_record(title=f"周报第{n:02d}期", security_level=I) for n in range(30)]
    logged_in(client, staff)

    first = client.get(reverse("record_list"))
    assert len(first.context["records"]) == 20
    assert first.context["records"][0] == records[-1]

    second = client.get(reverse("record_list"), {"page": 2})
    assert len(second.context["records"]) == 10
    assert set(second.context["records"]) == set(records[:10])
    assert "周报第00期" in second.content.decode()


def test_record_list_page_links_keep_the_filters(client, staff, filed_record):
    for _ in range(26):
        filed_record(security_level=I, year=2023)
    response = logged_in(client, staff).get(reverse("record_list"), {"year": 2023, "q": "协议"})
    assert response.context["page_obj"].paginator.count == 26
    assert 'href="?year=2023&amp;q=%E5%8D%8F%E8%AE%AE&amp;page=2"' in response.content.decode()


def test_record_list_filters_by_category_including_subclasses(client, archivist, filed_record):
    agent = filed_record(title="代理商协议甲", category=Category.objects.get(code="HTDL"), security_level=I)
    outdoor = filed_record(title="户外广告合同乙", category=Category.objects.get(code="HTHW"), security_level=I)
    minutes = filed_record(title="部门会议记录丙", category=Category.objects.get(code="NBHY"), security_level=I)
    logged_in(client, archivist)

    parent = Category.objects.get(code="HT")
    found = set(client.get(reverse("record_list"), {"category": parent.pk}).context["records"])
    assert found == {agent, outdoor}

    child = Category.objects.get(code="HTHW")
    found = set(client.get(reverse("record_list"), {"category": child.pk}).context["records"])
    assert found == {outdoor}
    assert minutes not in found


@pytest.mark.parametrize(
    "params, expected_titles",
    [
        ({"year": 2022}, {"二〇二二年协议"}),
        ({"security_level": P}, {"公开宣传册"}),
        ({"status": RecordStatus.ON_LOAN}, {"外借中的合同"}),
        ({"q": "宣传"}, {"公开宣传册"}),
        ({"q": "ht-2022"}, {"二〇二二年协议"}),  # document number, any case
        ({"q": "华东代理"}, {"外借中的合同"}),  # responsible party
        ({"q": "合同 华东"}, {"外借中的合同"}),  # every word must match
        ({"q": "不存在的词"}, set()),
        ({"year": "abc"}, {"二〇二二年协议", "公开宣传册", "外借中的合同"}),  # invalid filter ignored
    ],
)
def test_record_list_filters(client, archivist, filed_record, params, expected_titles):
    filed_record(title="二〇二二年协议", year=2022, document_number="HT-2022-07", security_level=I)
    filed_record(title="公开宣传册", year=2024, security_level=P)
    on_loan = filed_record(title="外借中的合同", year=2024, responsible_party="华东代理商", security_level=I)
    on_loan.status = RecordStatus.ON_LOAN
    on_loan.save()

    response = logged_in(client, archivist).get(reverse("record_list"), params)

    assert {record.title for record in response.context["records"]} == expected_titles


def test_record_list_search_matches_archive_number(client, staff, filed_record):
    wanted = filed_record(title="甲", security_level=I)
    filed_record(title="乙", security_level=I)
    response = logged_in(client, staff).get(reverse("record_list"), {"q": wanted.archive_number})
    assert list(response.context["records"]) == [wanted]


def test_record_list_shows_filter_errors(client, staff):
    response = logged_in(client, staff).get(reverse("record_list"), {"year": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert 'class="errorlist' in response.content.decode()


# --- record detail -------------------------------------------------------------------------

DETAIL_ACCESS = [
    # (security level, role, visible)
    (P, Role.STAFF, True),
    (P, Role.OUTSIDE_STAFF, True),
    (P, Role.SYSADMIN, True),
    (I, Role.STAFF, True),
    (I, Role.OUTSIDE_STAFF, False),
    (I, Role.SYSADMIN, False),
    (C, Role.STAFF, False),
    (C, Role.OUTSIDE_STAFF, False),
    (C, Role.SYSADMIN, False),
    (C, Role.ARCHIVIST, True),
    (C, Role.DEPARTMENT_HEAD, True),
    (C, Role.LEADERSHIP, True),
]


@pytest.mark.parametrize("level, role, visible", DETAIL_ACCESS)
def test_r_lend_4_record_detail_by_role(client, role_users, filed_record, level, role, visible):
    record = filed_record(title="受控档案", security_level=level)
    response = logged_in(client, role_users[role]).get(reverse("record_detail", args=[record.pk]))
    if visible:
        assert response.status_code == 200
        assert "受控档案" in response.content.decode()
    else:
        assert response.status_code == 404
        assert "受控档案" not in response.content.decode()


def test_record_detail_of_unknown_record_is_404(client, staff):
    from records.models import AccessLog

    response = logged_in(client, staff).get(reverse("record_detail", args=[999999]))
    assert response.status_code == 404
    assert "records/record_detail.html" not in [template.name for template in response.templates]
    assert AccessLog.objects.count() == 0


def test_record_detail_shows_metadata_location_and_custody(client, archivist, department_head, filed_record):
    room = LocationFactory(code="R1", name="一号档案室")
    cabinet = LocationFactory(parent=room, kind="cabinet", code="C02", name="二号柜")
    record = filed_record(
        title="华东区代理商协议",
        category=Category.objects.get(code="HTDL"),
        year=2024,
        document_number="SCB-2024-015",
        responsible_party="华东代理商",
        keywords="代理 华东",
        notes="原件一份",
        copies=2,
        pages=17,
        security_level=I,
        retention_years=30,
        location=cabinet,
        submitted_by=archivist,
    )

    html = logged_in(client, department_head).get(reverse("record_detail", args=[record.pk])).content.decode()

    for text in (
        record.archive_number,
        "华东区代理商协议",
        "合同 / 代理商协议",  # category path
        "SCB-2024-015",
        "华东代理商",
        "代理 华东",
        "原件一份",
        "一号档案室 / 二号柜",
        "R1-C02",
        "2054-12-31",  # retention end
        str(RecordStatus.FILED.label),
        str(SecurityLevel.INTERNAL.label),
        archivist.display_name,
    ):
        assert text in html, text
    assert 'data-custody="shelf"' in html


@pytest.mark.parametrize(
    "status, custody",
    [
        (RecordStatus.FILED, "shelf"),
        (RecordStatus.ON_LOAN, "loan"),
        (RecordStatus.MISSING, "missing"),
        (RecordStatus.VOID, "off_books"),
        (RecordStatus.DESTROYED, "off_books"),
    ],
)
def test_record_detail_custody_follows_status(client, staff, filed_record, status, custody):
    record = filed_record(security_level=I)
    record.status = status
    record.save()
    html = logged_in(client, staff).get(reverse("record_detail", args=[record.pk])).content.decode()
    assert f'data-custody="{custody}"' in html


def test_submitter_sees_own_unfiled_item_as_not_yet_received(client, staff):
    item = RecordFactory(title="待归档的会议记录", submitted_by=staff, status=RecordStatus.SUBMITTED)
    html = logged_in(client, staff).get(reverse("record_detail", args=[item.pk])).content.decode()
    assert "待归档的会议记录" in html
    assert 'data-custody="pending"' in html


def test_record_detail_history_shows_changes_with_reason(client, archivist, filed_record):
    record = filed_record(title="旧题名", security_level=I)
    record.title = "新题名"
    record.copies = 3
    record._change_reason = "更正题名与份数"
    record.save()

    response = logged_in(client, archivist).get(reverse("record_detail", args=[record.pk]))

    history = response.context["history"]
    assert [entry["reason"] for entry in history] == ["更正题名与份数", ChangeReason.FILED.label, None]
    assert str(ChangeReason.FILED.label) in response.content.decode()
    latest = {change["name"]: (change["old"], change["new"]) for change in history[0]["changes"]}
    assert latest == {"title": ("旧题名", "新题名"), "copies": (1, 3)}
    filing = {change["name"]: (change["old"], change["new"]) for change in history[1]["changes"]}
    assert filing["status"] == (RecordStatus.SUBMITTED.label, RecordStatus.FILED.label)
    assert filing["archive_number"] == (None, record.archive_number)
    assert filing["filed_by"] == (None, archivist)
    html = response.content.decode()
    assert "更正题名与份数" in html
    assert '<span class="changes__old">旧题名</span> → <span class="changes__new">新题名</span>' in html


def test_record_detail_lists_attachments(client, staff, filed_record, private_storage):
    record = filed_record(security_level=I)
    attachment = make_attachment(record, staff)
    html = logged_in(client, staff).get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "代理商协议扫描件.pdf" in html
    assert attachment.sha256[:12] in html
    assert "application/pdf" in html
    assert reverse("attachment_download", args=[attachment.pk]) in html


# --- attachment download -----------------------------------------------------------------------


def test_download_returns_the_stored_bytes(client, staff, filed_record, private_storage):
    content = "代理商协议 2024 正文".encode() * 100
    attachment = make_attachment(filed_record(security_level=I), staff, content=content)
    assert list(private_storage.rglob("*"))  # written to the temporary storage, not var/

    response = logged_in(client, staff).get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E4%BB%A3%E7%90%86" in response["Content-Disposition"]


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.SYSADMIN])
def test_r_lend_4_download_of_confidential_attachment_is_404(
    client, role_users, archivist, filed_record, private_storage, role
):
    from records.models import AccessLog

    attachment = make_attachment(filed_record(security_level=C), archivist, content=b"secret minutes")
    response = logged_in(client, role_users[role]).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    assert not response.streaming and b"secret minutes" not in response.content
    assert AccessLog.objects.count() == 0  # a download of a confidential file would be logged


@pytest.mark.parametrize("role", [Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP])
def test_r_lend_4_download_of_confidential_attachment_by_authorised_roles(
    client, role_users, archivist, filed_record, private_storage, role
):
    attachment = make_attachment(filed_record(security_level=C), archivist, content=b"secret")
    response = logged_in(client, role_users[role]).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"


def test_download_of_internal_attachment_by_outside_staff_is_404(
    client, outside_staff, staff, filed_record, private_storage
):
    attachment = make_attachment(filed_record(security_level=I), staff, content=b"internal agreement")
    response = logged_in(client, outside_staff).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    assert not response.streaming and b"internal agreement" not in response.content


def test_download_of_a_file_missing_from_storage_is_404(client, staff, filed_record, private_storage):
    attachment = make_attachment(filed_record(security_level=I), staff)
    attachment.file.storage.delete(attachment.file.name)
    response = logged_in(client, staff).get(reverse("attachment_download", args=[attachment.pk]))
    assert response.status_code == 404
    assert not response.streaming and "Content-Disposition" not in response
    assert Attachment.objects.get() == attachment  # the row stays


def test_r_access_confidential_record_page_views_are_logged(client, leadership, filed_record):
    from records.models import AccessAction, AccessLog

    secret, internal = filed_record(security_level=C), filed_record(security_level=I)
    logged_in(client, leadership)
    client.get(reverse("record_detail", args=[secret.pk]))
    client.get(reverse("record_detail", args=[internal.pk]))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.record, entry.action) == (leadership, secret, AccessAction.VIEW)
