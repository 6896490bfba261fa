"""Commands on the server: the only way to name department heads, move the
archive to another department and give or take the roles the system
administrator may not grant. Each names who ran it (--by), writes the
account log and refuses bad input with a clear message and a non-zero exit."""
import contextlib
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AccountEvent, AccountEventKind, Department
from accounts.roles import Role
from tests.accounts.support import account_snapshot
from tests.factories import DepartmentFactory, UserFactory, marketing_department


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def finance(db):
    return DepartmentFactory(code="CWB", name="财务部")


@pytest.fixture
def mailed(run_jobs):
    """Send what the block queued, as the worker would (core.mail)."""
    @contextlib.contextmanager
    def block():
        yield
        run_jobs()
    return block


# --- grant_role / revoke_role ----------------------------------------------------------------

def test_grant_role_gives_the_role_opens_the_back_office_and_is_logged(staff, mailed):
    staff.email = "zhangwei@example.com"
    staff.save()
    with mailed():
        out = run("grant_role", "staff", "archivist", "--by", "王总")
    assert "staff 现拥有角色“档案管理员”" in out
    staff.refresh_from_db()
    assert staff.has_role(Role.ARCHIVIST) and staff.is_staff
    assert staff.has_perm("records.view_confidential")
    row = AccountEvent.objects.get()
    assert row.kind == AccountEventKind.ROLE_GRANTED and row.user == staff
    assert row.actor is None and row.actor_name == "王总"
    assert row.by_label == "王总（服务器命令）"
    assert row.summary == f"已授予{staff.full_name}（staff）角色“档案管理员”。"
    [message] = mail.outbox
    assert message.to == ["zhangwei@example.com"] and row.summary in message.body
    assert "操作人：王总（服务器命令）" in message.body
    assert staff.history.latest().history_change_reason == AccountEventKind.ROLE_GRANTED


def test_revoke_role_takes_it_away_and_closes_the_back_office(archivist):
    run("revoke_role", "archivist", "archivist", "--by", "王总")
    archivist.refresh_from_db()
    archivist = type(archivist).objects.get(pk=archivist.pk)  # no cached permissions
    assert not archivist.has_role(Role.ARCHIVIST) and not archivist.is_staff
    assert not archivist.has_perm("records.view_confidential")
    row = AccountEvent.objects.get()
    assert row.kind == AccountEventKind.ROLE_REVOKED
    assert row.summary == f"已收回{archivist.full_name}（archivist）的角色“档案管理员”。"


@pytest.mark.parametrize(
    "args, message",
    [
        (("grant_role", "nobody", "staff"), "没有用户 nobody"),
        (("grant_role", "staff", "boss"), "没有角色 boss。可用角色：staff、outside_staff、archivist"),
        (("grant_role", "staff", "staff"), "已拥有角色“部门员工”"),
        (("revoke_role", "staff", "archivist"), "没有角色“档案管理员”"),
    ],
)
def test_role_commands_refuse_bad_input_and_change_nothing(staff, args, message):
    before = account_snapshot(staff)
    with pytest.raises(CommandError, match=message):
        run(*args, "--by", "王总")
    assert account_snapshot(staff) == before
    assert not AccountEvent.objects.exists()


def test_grant_role_refuses_a_deactivated_account(staff):
    staff.is_active = False
    staff.save()
    with pytest.raises(CommandError, match="账号已停用"):
        run("grant_role", "staff", "leadership", "--by", "王总")
    assert not staff.has_role(Role.LEADERSHIP)


@pytest.mark.parametrize("by", [None, "   "])
def test_every_command_needs_to_know_who_runs_it(staff, by):
    args = ("grant_role", "staff", "archivist") + (() if by is None else ("--by", by))
    with pytest.raises(CommandError, match="--by"):
        run(*args)
    assert not staff.has_role(Role.ARCHIVIST)
    assert not AccountEvent.objects.exists()


# --- set_department_head ----------------------------------------------------------------------

def test_set_department_head_names_the_head_and_tells_the_old_and_the_new_one(department_head, staff, mailed):
    marketing = marketing_department()
    marketing.head = staff
    marketing.save()
    staff.email, department_head.email = "zhangwei@example.com", "liuyang@example.com"
    staff.save()
    department_head.save()
    with mailed():
        out = run("set_department_head", "SCB", "head", "--by", "王总")
    assert "head 现为市场部负责人" in out
    marketing.refresh_from_db()
    assert marketing.head == department_head
    row = AccountEvent.objects.get()
    assert row.kind == AccountEventKind.HEAD_NAMED and row.department == marketing and row.user == department_head
    assert row.summary == f"市场部负责人：{staff.full_name}（staff） → {department_head.full_name}（head）。"
    assert sorted(message.to[0] for message in mail.outbox) == ["liuyang@example.com", "zhangwei@example.com"]
    assert marketing.history.latest().history_change_reason == AccountEventKind.HEAD_NAMED


def test_set_department_head_none_leaves_the_department_without_one(department_head):
    marketing = marketing_department()
    marketing.head = department_head
    marketing.save()
    out = run("set_department_head", "SCB", "--none", "--by", "王总")
    assert "市场部现在没有负责人" in out
    marketing.refresh_from_db()
    assert marketing.head is None
    assert AccountEvent.objects.get().summary == f"市场部负责人：{department_head.full_name}（head） → 无。"


@pytest.mark.parametrize(
    "args, message",
    [
        (("XXX", "head"), "没有代码为 XXX 的部门"),
        (("SCB", "nobody"), "没有用户 nobody"),
        (("SCB",), "请给出负责人的用户名，或使用 --none"),
        (("SCB", "head", "--none"), "请给出负责人的用户名，或使用 --none"),
        (("SCB", "outsider"), "不是市场部的成员"),
        (("SCB", "--none"), "本来就没有负责人"),
    ],
)
def test_set_department_head_refuses_bad_input_and_changes_nothing(department_head, outside_staff, args, message):
    marketing = marketing_department()
    with pytest.raises(CommandError, match=message):
        run("set_department_head", *args, "--by", "王总")
    marketing.refresh_from_db()
    assert marketing.head is None
    assert not AccountEvent.objects.exists()


def test_set_department_head_refuses_the_head_already_named(department_head):
    marketing = marketing_department()
    marketing.head = department_head
    marketing.save()
    with pytest.raises(CommandError, match="已是市场部负责人"):
        run("set_department_head", "SCB", "head", "--by", "王总")
    assert not AccountEvent.objects.exists()


def test_set_department_head_refuses_a_deactivated_account(department_head):
    department_head.is_active = False
    department_head.save()
    with pytest.raises(CommandError, match="账号已停用"):
        run("set_department_head", "SCB", "head", "--by", "王总")
    assert marketing_department().head is None


# --- set_archive_department ---------------------------------------------------------------------

def test_set_archive_department_moves_the_archive(finance):
    marketing = marketing_department()
    out = run("set_archive_department", "CWB", "--by", "王总")
    assert "财务部现为档案所属部门" in out
    marketing.refresh_from_db()
    finance.refresh_from_db()
    assert finance.owns_archive and not marketing.owns_archive
    assert list(Department.objects.filter(owns_archive=True)) == [finance]
    summaries = sorted(AccountEvent.objects.values_list("summary", flat=True))
    assert summaries == ["市场部不再是档案所属部门。", "财务部现为档案所属部门。"]
    assert set(AccountEvent.objects.values_list("kind", flat=True)) == {AccountEventKind.ARCHIVE_DEPARTMENT_CHANGED}
    assert set(AccountEvent.objects.values_list("actor_name", flat=True)) == {"王总"}


@pytest.mark.parametrize("code, message", [("SCB", "已是档案所属部门"), ("XXX", "没有代码为 XXX 的部门")])
def test_set_archive_department_refuses_bad_input(finance, code, message):
    marketing = marketing_department()
    with pytest.raises(CommandError, match=message):
        run("set_archive_department", code, "--by", "王总")
    marketing.refresh_from_db()
    assert marketing.owns_archive
    assert not AccountEvent.objects.exists()


def test_a_command_refusal_exits_non_zero(db, capsys):
    """manage.py turns CommandError into exit status 1 with the message on stderr."""
    from django.core.management import ManagementUtility

    UserFactory(username="someone")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "grant_role", "someone", "boss", "--by", "王总"]).execute()
    assert exit_info.value.code == 1
    assert "没有角色 boss" in capsys.readouterr().err
