"""Every main page, per role, shows only Chinese (issue 16, point 3): no
English words, no rule ids, no internal state codes in what a user reads
(tests/visible_text.py). The pages are read with the demo data
(`seed_demo`, `seed_demo_lending`) so lists, approval lines, notices and
desks have rows; the data is loaded once for the module, in a transaction
rolled back at the end.

Each role visits every page: what it may open must be Chinese, and what it
may not open (the 403 or 404 page) must be Chinese too. A role's failures are
collected over all its pages, so one run lists everything left to translate.
"""
import ast
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import Department, User
from accounts.roles import Role
from clients.models import Client as ArchiveClient
from records.models import Category, Location, Record
from records.selectors import visible_records
from tests.visible_text import RULE_ID, assert_chinese_only, foreign_words, visible_text
from tests.demo_support import demo_settings

DEMO_USERS = {
    Role.STAFF: "staff",
    Role.OUTSIDE_STAFF: "outsider",
    Role.ARCHIVIST: "archivist",
    Role.DEPARTMENT_HEAD: "head",
    Role.LEADERSHIP: "leader",
    Role.SYSADMIN: "sysadmin",
}

# Pages without an argument, by URL name: every main screen of every app.
# Names another part of issue 16 adds (help, statistics, handovers) are
# visited when they exist.
PLAIN_PAGES = [
    "home", "record_list", "catalogue", "maintenance", "my_submissions", "submission_create",
    "receiving_queue", "ledger_upload", "notice_list", "account_changes", "password_change", "job_list",
    "lending_mine", "lending_request", "lending_inbox", "lending_desk", "lending_register",
    "disposal_inbox", "disposal_appraisal", "disposal_lists", "disposal_list_create", "disposal_witness_list",
    "disposal_holds",
    "inventory_labels", "inventory_stocktakes", "inventory_stocktake_open", "inventory_write_offs",
    "inventory_write_off_new", "inventory_repairs", "inventory_repair_new",
    "documents_correspondence", "documents_correspondence_new", "documents_desk", "documents_document_new",
    "documents_my_copies", "documents_valid_list", "documents_recalls", "documents_retention",
    "contract_ledger", "contract_register", "client_list", "client_review_due", "client_create",
    "help", "statistics", "handover_list",
]
# Pages of one object, by URL name and the model whose first row they show.
DETAIL_PAGES = [
    ("handover_detail", "records.Handover"),
    ("client_detail", "clients.Client"),
    ("disposal_list_detail", "disposal.DisposalList"),
    ("inventory_stocktake_detail", "inventory.Stocktake"),
    ("inventory_write_off_detail", "inventory.WriteOff"),
    ("documents_document_detail", "documents.ControlledDocument"),
    ("documents_correspondence_detail", "documents.Correspondence"),
    ("documents_purge_detail", "documents.RegisterPurge"),
    ("inventory_reconciliation", "inventory.Stocktake"),
    ("inventory_unit_count", "inventory.StocktakeUnit"),
    ("client_edit", "clients.Client"),
    ("lending_extension_request", "lending.Loan"),
    ("job_detail", "jobs.Job"),
]
# Pages of a record in a given state (the archivist's correction of a filed
# record, a submitter's draft).
RECORD_PAGES = [
    ("record_correct", {"status": "filed"}),
    ("submission_edit", {"status": "draft"}),
    ("attachment_upload", {"status": "draft"}),
]
SIGNED_OUT_PAGES = ["login", "password_reset", "password_reset_done", "password_reset_complete"]
CAPITALS = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "var", "tests", "benchmarks", "staticfiles", "node_modules"}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), demo_settings(tmp_path_factory):
        with transaction.atomic():
            call_command("seed_demo", stdout=open("/dev/null", "w"))
            call_command("seed_demo_lending", stdout=open("/dev/null", "w"))
            yield
            transaction.set_rollback(True)


def data_codes():
    """Codes and acronyms the archive's own data shows as they are: class,
    department and location codes (NBHY, SCB, R1) and the capitals in record
    titles and client names (TPO, PPT): data, not English."""
    codes = set(Category.objects.values_list("code", flat=True))
    codes |= set(Department.objects.values_list("code", flat=True))
    for full_code in Location.objects.values_list("full_code", flat=True):
        codes |= set(full_code.split("-"))
    names = [*Record.objects.values_list("title", flat=True), *ArchiveClient.objects.values_list("name", flat=True)]
    for name in names:
        codes |= set(CAPITALS.findall(name))
    return codes


def page_urls(user):
    """(label, url) of every page the test visits as `user`."""
    from django.apps import apps

    urls = []
    for name in PLAIN_PAGES:
        try:
            urls.append((name, reverse(name)))
        except NoReverseMatch:
            continue
    record = visible_records(user).order_by("pk").first()
    if record is not None:
        urls.append(("record_detail", reverse("record_detail", args=[record.pk])))
    for name, state in RECORD_PAGES:
        mine = Record.objects.filter(**state, submitted_by=user).order_by("pk").first()
        any_record = mine or Record.objects.filter(**state).order_by("pk").first()
        if any_record is not None:
            urls.append((name, reverse(name, args=[any_record.pk])))
    for name, model_label in DETAIL_PAGES:
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append((name, reverse(name, args=[first.pk])))
    return urls


def foreign_words_on_pages(user):
    client = Client()
    client.force_login(user)
    allow = data_codes() | {user.username}
    pages_by_line = {}
    for label, url in page_urls(user):
        response = client.get(url)
        if response.status_code in (301, 302) or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for problem, _token, line in foreign_words(response.content, allow=allow):
            pages = pages_by_line.setdefault((problem, line[:100]), [])
            if f"{label} ({response.status_code})" not in pages:
                pages.append(f"{label} ({response.status_code})")
    return [f"{problem}: {line!r} on {', '.join(pages)}" for (problem, line), pages in pages_by_line.items()]


def test_the_pages_are_read_with_rows_in_them(demo, db):
    """The check reads real content: notices, approval lines waiting, loans
    out and overdue, controlled documents, client files."""
    from django.apps import apps

    models = ("accounts.Notice", "lending.Approval", "lending.Loan", "documents.ControlledDocument", "clients.Client")
    for label in models:
        assert apps.get_model(label)._default_manager.exists(), label
    head = Client()
    head.force_login(User.objects.get(username=DEMO_USERS[Role.DEPARTMENT_HEAD]))
    inbox = head.get(reverse("lending_inbox"))
    assert inbox.status_code == 200 and "approval" in inbox.content.decode()


@pytest.mark.parametrize("role", list(DEMO_USERS), ids=[role.value for role in DEMO_USERS])
def test_every_main_page_of_the_role_is_chinese_only(demo, db, role):
    user = User.objects.get(username=DEMO_USERS[role])
    problems = foreign_words_on_pages(user)
    assert not problems, f"{len(problems)} lines with English, rule ids or state codes:\n" + "\n".join(problems)


def test_the_pages_before_signing_in_are_chinese_only(db, client):
    problems = []
    for name in SIGNED_OUT_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        problems += [f"{name}: {problem} {line!r}" for problem, _token, line in foreign_words(response.content)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def _strings_outside_docstrings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_rule_id_reaches_a_screen_a_pdf_an_export_a_notice_or_a_mail():
    """Rule ids stay in comments, docstrings and tests: no string the code
    can show (messages, labels, notices, mail, register headings), no
    template text outside {# #} / {% comment %}, and no translation carries
    one. Data migrations keep what they once wrote, so they are left out."""
    found = []
    packages = [path for path in PROJECT_ROOT.iterdir() if path.is_dir() and (path / "__init__.py").exists()]
    for path in sorted(path for package in packages if package.name not in SKIPPED_DIRS
                       for path in package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found += [f"{path.relative_to(PROJECT_ROOT)}:{line}" for line, text in _strings_outside_docstrings(path)
                  if RULE_ID.search(text)]
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.*")):
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PROJECT_ROOT)}: {match.group()}" for match in RULE_ID.finditer(text)]
    catalogue = (PROJECT_ROOT / "locale/zh_Hans/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    for match in re.finditer(r'^msgstr(?:\[\d\])? "(.*)"$', catalogue, re.MULTILINE):
        if RULE_ID.search(match.group(1)):
            found.append(f"django.po msgstr: {match.group(1)[:80]}")
    assert not found, "rule ids a user could read:\n" + "\n".join(found)


# The check itself must be able to fail.
@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<p>借阅须经部门负责人审批（R-LEND-3）</p>", "rule id"),
        ("<td>R-FILE-1</td>", "rule id"),
        ("<span>状态：received_as_counted</span>", "state code"),
        ("<p>on_loan</p>", "state code"),
        ("<h1>Not Found</h1>", "English"),
        ("<th>CHANGES</th>", "English"),
        ('<button aria-label="Close">×</button>', "English"),
        ('<input type="search" placeholder="Search records">', "English"),
        ('<img src="x.png" alt="Thumbnail">', "English"),
        ('<input type="submit" value="Save">', "English"),
        ('<a title="Download the file">下载</a>', "English"),
    ],
)
def test_the_check_finds_what_users_must_not_read(html, problem):
    found = foreign_words(html)
    assert found and found[0][0] == problem, found
    with pytest.raises(AssertionError, match=problem):
        assert_chinese_only(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>档号 SCB-NBHY-2024-0007，2024-03-01 归档</p>",
        "<p>扫描件.pdf（1.2 MB，PDF）</p>",
        "<p>SHA-256 校验通过；可导出为 Excel</p>",
        "<dd>application/pdf</dd><td>264,000.00 CNY</td><p>按住 Ctrl 可多选</p>",
        "<td>w***@example.com</td>",
        '<p>联系 archivist@example.com</p><form><button lang="en">English</button></form>',
        "<script>var label = 'Not for users';</script><style>.x{content:'hidden'}</style><p>首页</p>",
    ],
)
def test_the_check_lets_codes_numbers_files_and_code_pass(html):
    assert_chinese_only(html)


def test_data_codes_pass_only_when_allowed():
    html = "<td>NBHY 内部会议纪要</td>"
    assert foreign_words(html)
    assert_chinese_only(html, allow={"NBHY"})


def test_visible_text_reads_attributes_a_browser_shows():
    html = '<img alt="缩略图"><a title="下载文件" aria-label="下载">↓</a>' '<input placeholder="标题或档号">'
    assert visible_text(html).splitlines() == ["缩略图", "下载文件", "下载", "↓", "标题或档号"]
