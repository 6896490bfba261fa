"""A day's round per role in a real browser (issue 16, "done means"): each
role's demo user signs in through the login form at 1280 px and at 390 px,
finds on the home page the to-do lines the demo gives them, follows them,
and walks through their daily pages by the menu. On every page visited:
the page opened (200), only Chinese is shown (tests/visible_text.py), axe
finds no serious or critical violation (tests/browser/axe_support.py), and
on a phone the page does not scroll sideways.

The demo (`seed_demo`, `seed_demo_lending`) is seeded once for the module
and committed, because the live server reads it over its own connection;
so this module runs its own live server instead of pytest-django's
`live_server` (which flushes the database after every test), and puts the
database back as migrations left it when the module ends
(`demo_archive`)."""
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import translation
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from accounts.models import User
from accounts.roles import Role
from records.todo import todo_items
from tests.browser.axe_support import serious_violations
from tests.browser.conftest import nav_click
from tests.demo_support import demo_settings
from tests.test_chinese_only import data_codes
from tests.visible_text import assert_chinese_only

pytestmark = [pytest.mark.browser]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
DEMO_USERNAMES = {role: username for username, _name, role, _department in DEMO_LOGINS}
ROLES = [Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.STAFF, Role.SYSADMIN]

# The heading of each screen a to-do line may lead to, by URL name: a line
# whose link opens another page (a login, a 403, the home page again) fails.
# A new kind of to-do line fails here until its screen's heading is added.
HEADINGS = {
    "receiving_queue": "接收队列",
    "my_submissions": "我的提交",
    "lending_mine": "我的借阅",
    "lending_desk": "借阅台",
    "lending_inbox": "待审批",
    "client_review_due": "待整理",
    "contract_ledger": "合同台帐",
    "documents_my_copies": "我的受控文件",
    "documents_recalls": "待交回的文件",
    "disposal_inbox": "鉴定销毁",
    "disposal_holds": "冻结",
    "maintenance": "系统维护",
}


@pytest.fixture(scope="module")
def demo_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, committed, and a live server reading it; afterwards the
    database as migrations left it (what `serialized_rollback` tests start
    from, and what the tests after this module expect)."""
    with django_db_blocker.unblock(), demo_settings(tmp_path_factory):
        if not _is_test_database():
            pytest.fail("No test database: select test_every_role_walked_has_a_demo_login_and_a_day too "
                        "(it asks for the database); the demo is never seeded into a real one.")
        migrated = _migrated_state()
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo_lending", stdout=io.StringIO())
        server = LiveServer("localhost")
        try:
            yield server
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(migrated)
            # Playwright's event loop keys connections by context: close the
            # ones opened here, or PostgreSQL cannot drop the test database.
            connections.close_all()


def _is_test_database():
    """pytest-django points the connection at the test database only when a
    selected test asks for one."""
    name = str(connection.settings_dict["NAME"])
    return name == str(connection.settings_dict["TEST"].get("NAME")) or name.startswith("test_")


def _migrated_state():
    """The database's content as migrations made it, serialized. Tests with
    `serialized_rollback` before this module leave it flushed; their
    snapshot is then loaded back first."""
    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized is None:
        return connection.creation.serialize_db_to_string()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
    return serialized


@pytest.fixture
def orm(django_db_blocker):
    """Reads of the committed demo from the test itself."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def demo_page(browser, demo_archive):
    context = browser.new_context(base_url=demo_archive.url, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def expected_todo(username):
    """The to-do lines the home page should show this user, from the
    registry itself (records.todo), read in Chinese."""
    request = RequestFactory().get("/")
    request.user = User.objects.get(username=username)
    with translation.override("zh-hans"):
        return [(item.label, item.count, item.url) for item in todo_items(request)]


class Round:
    """One user's walk through the site: every page reached is checked, the
    problems are collected so one run names them all. axe (the slow check)
    reads each address once a round: the home page is reached again and
    again between the to-do lines."""

    def __init__(self, page, width, allow):
        self.page = page
        self.width = width
        self.allow = allow
        self.problems = []
        self.read_by_axe = set()

    def via(self, action):
        """Do `action` (a click) that opens a page, then check that page."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        self.check(response.status if response else None)

    def menu(self, href):
        self.via(lambda: nav_click(self.page, href))

    def check(self, status):
        page = self.page
        page.wait_for_load_state()
        address = urlsplit(page.url)
        where = address.path + (f"?{address.query}" if address.query else "")
        if status != 200:
            self.problems.append(f"{where}: HTTP {status}")
        try:
            assert_chinese_only(page.content(), allow=self.allow, where=where)
        except AssertionError as error:
            self.problems.append(str(error))
        if where not in self.read_by_axe:
            self.read_by_axe.add(where)
            self.problems += [f"{where}: axe {line}" for line in serious_violations(page)]
        if self.width == "phone":
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll_width > WIDTHS["phone"]["width"] + 1:
                self.problems.append(f"{where}: {scroll_width} px wide on a {WIDTHS['phone']['width']} px phone")

    def heading(self):
        return self.page.locator("main h1").first.inner_text().strip()


def log_in(round_, username):
    page = round_.page
    page.goto("/accounts/login/")
    round_.check(200)
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    round_.via(lambda: page.click("#login-form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/$"))


def follow_todo_lines(round_, expected):
    """The home page lists exactly the expected lines; each link opens the
    screen that does it (clicked from the home page, which is reached again
    through the menu), and an anchor in it points at a part of that page."""
    page = round_.page
    lines = page.locator(".todo-list .todo-item a")
    shown = [
        (link.locator(".todo-item__label").evaluate("e => e.firstChild.textContent").strip(),
         int(link.locator(".todo-item__count").inner_text()), link.get_attribute("href"))
        for link in lines.all()
    ]
    assert shown == expected
    if not expected:
        expect(page.locator('[data-panel="todo"] .empty')).to_be_visible()
    for index, (label, _count, url) in enumerate(expected):
        if index:
            round_.menu(reverse("home"))
        round_.via(lambda: page.locator(".todo-list .todo-item a").nth(index).click())
        path, fragment = urlsplit(url).path, urlsplit(url).fragment
        name = resolve(path).url_name
        if round_.heading() != HEADINGS.get(name):
            round_.problems.append(f"to-do line {label!r} opened {name} headed {round_.heading()!r}, "
                                   f"not {HEADINGS.get(name, '(a heading missing from HEADINGS)')!r}")
        if fragment and page.locator(f'[id="{fragment}"]').count() != 1:
            round_.problems.append(f"to-do line {label!r}: no #{fragment} on {path}")
    if expected:
        round_.menu(reverse("home"))


def archivist_day(round_):
    page = round_.page
    round_.menu(reverse("receiving_queue"))
    round_.menu(reverse("lending_desk"))
    round_.menu(reverse("record_list"))
    round_.via(lambda: page.locator(".record-table tbody a").first.click())
    expect(page).to_have_url(re.compile(r"/records/\d+/$"))
    round_.menu(reverse("statistics"))


def head_day(round_):
    page = round_.page
    round_.menu(reverse("lending_inbox"))
    round_.menu(reverse("disposal_inbox"))
    round_.via(lambda: page.locator(f'main a[href="{reverse("disposal_lists")}"]').first.click())
    round_.menu(reverse("statistics"))


def leader_day(round_):
    page = round_.page
    round_.menu(reverse("statistics"))
    round_.menu(reverse("disposal_inbox"))
    round_.menu(reverse("contract_ledger"))
    round_.menu(reverse("client_list"))
    round_.menu(reverse("record_list"))
    round_.via(lambda: page.locator(".record-table tbody a").first.click())
    expect(page).to_have_url(re.compile(r"/records/\d+/$"))


def staff_day(round_):
    page = round_.page
    round_.menu(reverse("my_submissions"))
    round_.menu(reverse("lending_mine"))
    page.fill("#site-search-q", "合同")
    round_.via(lambda: page.locator(".site-search__button").click())
    expect(page).to_have_url(re.compile(r"/records/\?q="))
    assert page.locator(".record-table tbody a").count() > 0


def sysadmin_day(round_):
    page = round_.page
    round_.menu(reverse("admin:index"))
    round_.via(lambda: page.locator(f'a[href="{reverse("admin:accounts_user_changelist")}"]').first.click())
    assert page.locator("#result_list tbody tr").count() > 0


DAYS = {
    Role.ARCHIVIST: archivist_day,
    Role.DEPARTMENT_HEAD: head_day,
    Role.LEADERSHIP: leader_day,
    Role.STAFF: staff_day,
    Role.SYSADMIN: sysadmin_day,
}


def test_every_role_walked_has_a_demo_login_and_a_day(db):
    """The journeys cover the roles of issue 16, each with its demo login.
    (It asks for `db` so that pytest-django creates the test database when
    this module runs on its own: the journeys themselves read the committed
    demo, outside any test transaction.)"""
    assert set(DAYS) == set(ROLES)
    assert all(DEMO_USERNAMES.get(role) for role in ROLES)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
def test_role_journey(demo_page, orm, role, width):
    username = DEMO_USERNAMES[role]
    # Codes the demo's own data shows as they are (class, department and
    # location codes, capitals in titles and client names), and login names
    # (the back office's user list shows them): data, not English
    # (tests/test_chinese_only.py).
    allow = data_codes() | set(User.objects.values_list("username", flat=True))
    expected = expected_todo(username)
    demo_page.set_viewport_size(WIDTHS[width])
    round_ = Round(demo_page, width, allow)
    log_in(round_, username)
    follow_todo_lines(round_, expected)
    DAYS[role](round_)
    assert not round_.problems, f"{username} at {width}:\n" + "\n".join(round_.problems)
