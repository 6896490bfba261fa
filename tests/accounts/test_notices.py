"""In-app notices (accounts.notices), the mechanism every app tells a person
something with: the row is written in the caller's transaction and its mail
leaves after the commit; each person reads, opens and marks read only their
own notices, 20 a page; the navigation bar counts the unread ones; the back
office shows them read-only. The wording of each app's notices is tested
with the app (tests/lending/test_notices.py)."""
import re

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accounts.models import Notice
from accounts.notices import notice_mark_read, notices_mark_all_read, notify, unread_count
from accounts.roles import Role
from tests.admin_support import admin_url, staff_user_with_perms
from tests.conftest import make_user, speak_english
from tests.query_counts import count_queries

FIRST, MORE = 10, 990


def state():
    """Every notice with its reading time: what an action may change."""
    return list(Notice.objects.order_by("pk").values_list("pk", "user_id", "text", "read_at"))


def as_user(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def shown(html):
    return [int(pk) for pk in re.findall(r'data-notice="(\d+)"', html)]


@pytest.fixture
def colleague(db):
    """Another member of the marketing department."""
    return make_user(Role.STAFF, "colleague")


def many_notices(count, user):
    return Notice.objects.bulk_create(Notice(user=user, text=f"通知{index}", url="/") for index in range(count))


# --- notify: a row now, the mail after the commit ------------------------------------


def test_notify_queues_the_mail_for_the_worker(staff, run_jobs):
    staff.email = "staff@example.com"
    staff.save()
    notice = notify(staff, "请归还档案", "/records/1/")
    assert mail.outbox == []
    assert Notice.objects.get() == notice and notice.url == "/records/1/" and notice.read_at is None
    assert run_jobs() == 1
    [message] = mail.outbox
    assert message.to == ["staff@example.com"]
    assert message.subject == "档案管理：请归还档案"
    assert message.body == "请归还档案\n\n/records/1/"


def test_rolled_back_notice_mails_nobody(staff, run_jobs):
    staff.email = "staff@example.com"
    staff.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(staff, "x")
        raise RuntimeError("roll back")
    assert run_jobs() == 0
    assert not Notice.objects.exists() and mail.outbox == []


def test_user_without_an_address_gets_the_notice_only(staff, run_jobs):
    notify(staff, "x")
    assert run_jobs() == 0
    assert Notice.objects.filter(user=staff).count() == 1 and mail.outbox == []


def test_long_text_and_link_are_cut_to_the_notice_length(staff):
    notice = notify(staff, "档" * 500, "/" + "x" * 300)
    notice.refresh_from_db()
    assert len(notice.text) == 300 and notice.text.startswith("档" * 290) and len(notice.url) == 200


def test_marking_read_keeps_the_first_reading_time_and_touches_only_ones_own(staff, colleague):
    first, second = notify(staff, "一"), notify(staff, "二")
    other = notify(colleague, "同事的")
    notice_mark_read(notice=first)
    read_at = Notice.objects.get(pk=first.pk).read_at
    assert read_at is not None and unread_count(staff) == 1
    notice_mark_read(notice=Notice.objects.get(pk=first.pk))
    assert Notice.objects.get(pk=first.pk).read_at == read_at
    assert notices_mark_all_read(user=staff) == 1
    assert Notice.objects.get(pk=second.pk).read_at is not None
    assert Notice.objects.get(pk=other.pk).read_at is None and unread_count(colleague) == 1


# --- the notices page and its actions --------------------------------------------------

ACTIONS = [("notice_read", True), ("notices_read_all", False)]


def _url(name, pk=None):
    return reverse(name, args=[pk]) if pk else reverse(name)


@pytest.mark.parametrize("name, method", [("notice_list", "get"), ("notice_read", "post"), ("notices_read_all", "post")])
def test_anonymous_is_sent_to_login(client, staff, name, method):
    notice = notify(staff, "给张三的通知")
    url = _url(name, notice.pk if name == "notice_read" else None)
    before = state()
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert state() == before


@pytest.mark.parametrize("name, needs_pk", ACTIONS)
def test_actions_refuse_get(client, staff, name, needs_pk):
    notice = notify(staff, "给张三的通知")
    before = state()
    response = as_user(client, staff).get(_url(name, notice.pk if needs_pk else None))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert state() == before


def test_the_list_refuses_post(client, staff):
    notify(staff, "给张三的通知")
    before = state()
    response = as_user(client, staff).post(reverse("notice_list"))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert state() == before


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_its_own_notices_only(client, role_users, role):
    user = role_users[role]
    mine = notify(user, f"给{user.username}的通知")
    for other in role_users.values():
        if other != user:
            notify(other, f"给{other.username}的通知")
    response = as_user(client, user).get(reverse("notice_list"))
    page = response.content.decode()
    assert response.status_code == 200 and "<h1>Notices</h1>" in page
    assert shown(page) == [mine.pk]


def test_the_list_is_newest_first_20_a_page(client, staff):
    notices = many_notices(25, staff)
    newest_first = [notice.pk for notice in sorted(notices, key=lambda item: (item.created_at, item.pk), reverse=True)]
    client.force_login(staff)
    first = client.get(reverse("notice_list")).content.decode()
    assert shown(first) == newest_first[:20] and "第 1 页 共 2 页" in first and "下一页" in first
    second = client.get(reverse("notice_list") + "?page=2").content.decode()
    assert shown(second) == newest_first[20:] and "第 2 页 共 2 页" in second and "上一页" in second


def test_open_marks_read_and_goes_to_what_the_notice_is_about(client, staff):
    first = notify(staff, "您的借阅申请已批准", reverse("lending_mine"))
    second = notify(staff, "请明天归还")
    user = as_user(client, staff)
    response = user.post(reverse("notice_read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == reverse("lending_mine")
    assert Notice.objects.get(pk=first.pk).read_at is not None
    assert Notice.objects.get(pk=second.pk).read_at is None


@pytest.mark.parametrize(
    "url, posted_next, goes_to",
    [
        ("https://evil.example/", "", "/accounts/notices/"),  # never off the site
        ("", "/lending/?page=2", "/lending/?page=2"),  # back where the button was
        ("", "https://evil.example/", "/accounts/notices/"),
    ],
)
def test_marking_read_stays_on_the_site(client, staff, url, posted_next, goes_to):
    notice = notify(staff, "通知", url)
    data = {"open": "1", "next": posted_next} if posted_next else {"open": "1"}
    response = as_user(client, staff).post(reverse("notice_read", args=[notice.pk]), data)
    assert response.status_code == 302 and response.url == goes_to
    assert Notice.objects.get(pk=notice.pk).read_at is not None


def test_someone_elses_notice_is_not_found(client, staff, colleague):
    notice = notify(staff, "给张三的通知")
    before = state()
    assert as_user(client, colleague).post(reverse("notice_read", args=[notice.pk]), {"open": "1"}).status_code == 404
    assert state() == before


def test_mark_all_read_marks_only_ones_own(client, staff, colleague):
    notify(staff, "一")
    notify(staff, "二")
    others = notify(colleague, "同事的")
    user = as_user(client, staff)
    assert "Mark all as read" in user.get(reverse("notice_list")).content.decode()
    response = user.post(reverse("notices_read_all"), follow=True)
    assert [str(message) for message in response.context["messages"]] == ["All notices are marked as read."]
    assert unread_count(staff) == 0 and Notice.objects.get(pk=others.pk).read_at is None
    assert "Mark all as read" not in response.content.decode()


def test_the_navigation_bar_counts_unread_notices(client, staff, colleague):
    notify(staff, "一")
    notice_mark_read(notice=notify(staff, "已读"))
    notify(staff, "二")
    notify(colleague, "同事的")
    user = as_user(client, staff)
    page = user.get(reverse("home")).content.decode()
    assert re.search(r'href="/accounts/notices/"[^>]*>Notices <span class="nav-count"[^>]*>2</span>', page)
    notices_mark_all_read(user=staff)
    page = user.get(reverse("home")).content.decode()
    assert re.search(r'href="/accounts/notices/"[^>]*>Notices</a>', page)


@pytest.mark.parametrize("url_name", ["notice_list", "home"])
def test_the_list_and_the_navigation_bar_are_constant(client, staff, url_name):
    client.force_login(staff)
    many_notices(FIRST, staff)
    with count_queries() as small:
        assert client.get(reverse(url_name)).status_code == 200
    many_notices(MORE, staff)
    with count_queries() as large:
        assert client.get(reverse(url_name)).status_code == 200
    assert small.total == large.total, "\n".join(large.statements)


# --- the back office: read-only, one's own -------------------------------------------


def test_notice_admin_is_view_only_and_shows_only_ones_own(client, department_head, db):
    superuser = staff_user_with_perms("root", is_superuser=True)
    mine = notify(superuser, "给管理员的通知")
    other = notify(department_head, "重点客户价格底线 待审批")
    client.force_login(department_head)
    assert client.get(admin_url(Notice)).status_code == 403  # no role holds accounts.view_notice
    reader = staff_user_with_perms("notice_reader", "accounts.view_notice")
    notify(reader, "你的借阅已批准")
    client.force_login(reader)
    response = client.get(admin_url(Notice))
    assert response.status_code == 200
    assert [notice.text for notice in response.context["cl"].result_list] == ["你的借阅已批准"]
    assert client.get(admin_url(Notice, "change", other.pk)).status_code == 302  # not found for this reader
    client.force_login(superuser)
    response = client.get(admin_url(Notice))
    assert {notice.pk for notice in response.context["cl"].result_list} >= {mine.pk, other.pk}
    before = state()
    assert client.get(admin_url(Notice, "delete", mine.pk)).status_code == 403
    assert client.get(admin_url(Notice, "add")).status_code == 403
    page = client.get(admin_url(Notice, "change", mine.pk))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    client.post(admin_url(Notice, "change", mine.pk), {"text": "改过", "read_at_0": "2030-01-01"})
    assert state() == before


def test_staff_without_back_office_access_is_sent_to_admin_login(client, staff):
    notify(staff, "重点客户价格底线 待审批")
    client.force_login(staff)
    response = client.get(admin_url(Notice), follow=True)
    [(url, status)] = response.redirect_chain
    assert status == 302 and url.startswith("/admin/login/")
    assert "重点客户价格底线" not in response.content.decode()

