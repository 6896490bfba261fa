"""Demo departments and people for `manage.py seed_demo`.

One login per role (accounts.roles.Role), all with DEMO_PASSWORD, so a
visitor can try the archive as each kind of user, plus the head of the
finance department, who signs the IOU (借条) of its people (R-LEND-3); the
marketing head 刘洋 heads the archive's department. The extra marketing staff
only appear as submitters and responsible persons: they get unusable
passwords, so the demo has no more known-password accounts than it needs.
Everyone has an address at example.com (archivist@example.com …) so the
mail behind the notices shows on the console. Nothing here overwrites an
existing department or user (only a missing address is filled in).
"""
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department, User
from accounts.roles import Role, assign_role

DEMO_PASSWORD = "demo12345"


class DemoReason(models.TextChoices):
    """What the demo writes into history, shown in words like every other
    change reason (registered by AccountsConfig.ready()); the codes are the
    texts older demo databases already hold."""

    DEMO_DATA = "demo data", gettext_lazy("Demo data")
    DATES_MOVED = "demo data: dates moved into the past", gettext_lazy("Demo data: dates moved into the past")
    LEGACY_CHECK_IN = (
        "demo data: taken back to be lent through the lending desk",
        gettext_lazy("Demo data: taken back to be lent again through the lending desk"),
    )


DEMO_CHANGE_REASON = DemoReason.DEMO_DATA
DEMO_EMAIL_DOMAIN = "example.com"

# (code, name, owns the archive)
DEPARTMENTS = [
    ("SCB", "市场部", True),
    ("ZJB", "总经理办公室", False),
    ("CWB", "财务部", False),
    ("XXB", "信息部", False),
    ("JSB", "技术部", False),
]

# (username, full name, role, department code): the six demo logins.
DEMO_LOGINS = [
    ("staff", "张伟", Role.STAFF, "SCB"),
    ("outsider", "李娜", Role.OUTSIDE_STAFF, "CWB"),
    ("archivist", "王芳", Role.ARCHIVIST, "SCB"),
    ("head", "刘洋", Role.DEPARTMENT_HEAD, "SCB"),
    ("leader", "陈静", Role.LEADERSHIP, "ZJB"),
    ("sysadmin", "赵磊", Role.SYSADMIN, "XXB"),
]

# (username, full name, role, department code): logins that head a department
# without an archive role. Being Department.head is what lets 钱峰 sign the
# loans of the finance department's people (R-LEND-3); he needs no archive rights.
DEPARTMENT_HEAD_LOGINS = [
    ("cwhead", "钱峰", Role.OUTSIDE_STAFF, "CWB"),
]

# department code -> username of its head (R-LEND-2, R-LEND-3, R-LEND-4).
DEPARTMENT_HEADS = {"SCB": "head", "CWB": "cwhead"}

# Marketing staff who submit records and look after clients; no login.
EXTRA_MARKETING_STAFF = [
    ("sunhao", "孙浩"),
    ("zhoumin", "周敏"),
    ("wuting", "吴婷"),
    ("zhengkai", "郑凯"),
]

DEMO_USERNAMES = (
    [login[0] for login in DEMO_LOGINS]
    + [login[0] for login in DEPARTMENT_HEAD_LOGINS]
    + [username for username, _name in EXTRA_MARKETING_STAFF]
)


@dataclass
class DemoPeople:
    """The demo departments and users, handed to the later seeding steps."""

    departments: dict  # code -> Department
    by_role: dict  # Role -> the demo login of that role
    marketing_staff: list = field(default_factory=list)  # who submits and looks after clients

    @property
    def marketing(self):
        return self.departments["SCB"]

    @property
    def staff(self):
        return self.by_role[Role.STAFF]

    @property
    def archivist(self):
        return self.by_role[Role.ARCHIVIST]

    @property
    def head(self):
        return self.by_role[Role.DEPARTMENT_HEAD]


def is_seeded():
    return (
        Department.objects.filter(code__in=[code for code, _name, _owns in DEPARTMENTS]).count() == len(DEPARTMENTS)
        and User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)
    )


def _department(code, name, owns_archive):
    department = Department.objects.filter(code=code).first() or Department.objects.filter(name=name).first()
    if department is not None:
        return department, False
    # Only one department may own the archive; an existing owner stays.
    owns_archive = owns_archive and not Department.objects.filter(owns_archive=True).exists()
    department = Department(code=code, name=name, owns_archive=owns_archive)
    department._change_reason = DEMO_CHANGE_REASON
    department.save()
    return department, True


def demo_email(username):
    """Every demo person has an address, so the mail behind each notice can
    be read where the worker prints it (the console mail backend, the
    default of the run command)."""
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def _give_address(user):
    # A demo seeded before the addresses existed gets one; an address set
    # in the back office stays.
    user.email = demo_email(user.username)
    user._change_reason = DEMO_CHANGE_REASON
    user.save(update_fields=["email"])


def fill_missing_emails(log=print):
    """Give the demo people of an older demo database their addresses
    (seed_demo runs it when the demo data exists already)."""
    missing = list(User.objects.filter(username__in=DEMO_USERNAMES, email=""))
    for user in missing:
        _give_address(user)
    if missing:
        log(_("E-mail addresses: %(count)d demo people given one.") % {"count": len(missing)})
    return len(missing)


def _user(username, full_name, department, role, *, can_log_in):
    user = User.objects.filter(username=username).first()
    if user is not None:
        if not user.email:
            _give_address(user)
        return user, False
    user = User(username=username, full_name=full_name, department=department, email=demo_email(username))
    if can_log_in:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user._change_reason = DEMO_CHANGE_REASON
    user.save()
    assign_role(user, role)
    return user, True


def seed_department_heads(log=print):
    """Name the head of each demo department (DEPARTMENT_HEADS). A head
    already chosen, in the back office or before, is kept."""
    named = 0
    for code, username in DEPARTMENT_HEADS.items():
        department = Department.objects.filter(code=code, head__isnull=True).first()
        head = User.objects.filter(username=username).first()
        if department is None or head is None:
            continue
        department.head = head
        department._change_reason = DEMO_CHANGE_REASON
        department.save()
        named += 1
    log(_("Department heads: %(named)d named.") % {"named": named})
    return named


def seed_accounts(log=print):
    """Departments, the demo logins, the extra marketing staff and the
    department heads."""
    departments, created_departments = {}, 0
    for code, name, owns_archive in DEPARTMENTS:
        departments[code], created = _department(code, name, owns_archive)
        created_departments += created

    by_role, created_users = {}, 0
    for username, full_name, role, department_code in DEMO_LOGINS:
        by_role[role], created = _user(username, full_name, departments[department_code], role, can_log_in=True)
        created_users += created
    for username, full_name, role, department_code in DEPARTMENT_HEAD_LOGINS:
        _head, created = _user(username, full_name, departments[department_code], role, can_log_in=True)
        created_users += created
    extra = []
    for username, full_name in EXTRA_MARKETING_STAFF:
        user, created = _user(username, full_name, departments["SCB"], Role.STAFF, can_log_in=False)
        extra.append(user)
        created_users += created

    log(
        _("Departments: %(created)d created, %(total)d in the demo.")
        % {"created": created_departments, "total": len(departments)}
    )
    log(
        _("Users: %(created)d created, %(total)d in the demo.")
        % {"created": created_users, "total": len(DEMO_USERNAMES)}
    )
    seed_department_heads(log)
    return DemoPeople(departments=departments, by_role=by_role, marketing_staff=[by_role[Role.STAFF], *extra])


def demo_logins():
    """(username, full name, role, department) of the demo logins that exist."""
    logins = DEMO_LOGINS + DEPARTMENT_HEAD_LOGINS
    usernames = [username for username, _name, _role, _code in logins]
    users = {user.username: user for user in User.objects.filter(username__in=usernames).select_related("department")}
    return [
        (username, users[username].display_name, role, users[username].department)
        for username, _full_name, role, _code in logins
        if username in users
    ]
