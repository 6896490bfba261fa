"""Demo correspondence and controlled documents for `manage.py seed_demo`
(after accounts.demo): so each demo login meets something on every
documents screen.

Everything goes through documents.services, so numbers, remarks, history
and notices are the real ones:

- four register lines, two outgoing (市场发) and two incoming (市场收)
  (R-SCOPE 3–4);
- 市场推广费用管理规定, in force: 张伟 signed for his copy in the
  application; the marketing department's copy was signed on paper by 孙浩,
  recorded by the archivist 王芳; 刘洋's copy was lost and a new copy issued
  under a new number on a new line (R-CTRL-1..3);
- 2026年冬季促销活动方案, time-limited (valid for 60 days): 刘洋 signed,
  张伟's copy waits for his signature (R-CTRL-5);
- 客户来访接待办法（旧版）, void: 刘洋's copy came back and was destroyed,
  张伟's copy is still out, recalled (R-CTRL-5).

Running it again changes nothing: the documents are recognised by title."""
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.models import Department, User
from documents.models import ControlledDocument, Correspondence, Direction, Urgency
from documents.services import copies as copy_services
from documents.services import controlled, distribution, voiding
from documents.services.correspondence import correspondence_register
from records.printing import font_url

# The demo people and departments, by username and code (accounts.demo).
STAFF, ARCHIVIST, HEAD, SUNHAO = "staff", "archivist", "head", "sunhao"
MARKETING = "SCB"

IN_FORCE_TITLE = "市场推广费用管理规定"
TIME_LIMITED_TITLE = "2026年冬季促销活动方案"
VOID_TITLE = "客户来访接待办法（旧版）"
DOCUMENT_TITLES = (IN_FORCE_TITLE, TIME_LIMITED_TITLE, VOID_TITLE)

# (direction, days ago, title, sender, receivers, handler, urgency)
CORRESPONDENCE = (
    (Direction.OUTGOING, 20, "关于印发《市场推广费用管理规定》的通知", "SCB", ("ZJB", "CWB", "JSB"), ARCHIVIST,
     Urgency.NORMAL),
    (Direction.OUTGOING, 6, "关于开展冬季促销活动的通知", "SCB", ("ZJB", "CWB"), STAFF, Urgency.URGENT),
    (Direction.INCOMING, 12, "关于报送下一年度费用预算的通知", "CWB", ("SCB",), HEAD, Urgency.URGENT),
    (Direction.INCOMING, 3, "关于清理信息系统停用账号的通知", "XXB", ("SCB",), ARCHIVIST, Urgency.NORMAL),
)


def is_seeded():
    return (
        ControlledDocument.objects.filter(title__in=DOCUMENT_TITLES).count() >= len(DOCUMENT_TITLES)
        and Correspondence.objects.filter(title__in=[line[2] for line in CORRESPONDENCE]).exists()
    )


def demo_pdf(title, lines, *, name):
    """A one-page PDF named `name` with `title` and `lines` in the shipped CJK font."""
    from weasyprint import HTML  # slow to import; only seeding needs it

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = f"""<html lang="zh-Hans"><head><style>
      @font-face {{ font-family: cjk; src: url('{font_url()}'); }}
      @page {{ size: A4; margin: 2cm; }}
      body {{ font-family: cjk; font-size: 11pt; }} h1 {{ font-size: 16pt; text-align: center; }}
      .note {{ color: #666; font-size: 9pt; margin-top: 2em; }}
    </style></head><body><h1>{escape(title)}</h1>{body}
      <p class="note">本文件为演示数据，由系统自动生成。</p></body></html>"""
    return SimpleUploadedFile(name, HTML(string=html).write_pdf(), content_type="application/pdf")


def _people():
    users = {user.username: user for user in User.objects.filter(username__in=(STAFF, ARCHIVIST, HEAD, SUNHAO))}
    departments = {department.code: department for department in Department.objects.all()}
    return users, departments


def seed_correspondence(users, departments):
    """The four register lines, numbered by the service (R-SCOPE 3–4)."""
    today = timezone.localdate()
    made = {}
    for direction, days_ago, title, sender, receivers, handler, urgency in CORRESPONDENCE:
        if Correspondence.objects.filter(title=title).exists():
            continue
        made[title] = correspondence_register(
            by=users[ARCHIVIST],
            direction=direction,
            data={
                "document_date": max(today - datetime.timedelta(days=days_ago), today.replace(month=1, day=1)),
                "title": title,
                "pages": 2,
                "urgency": urgency,
                "sender": departments[sender],
                "handler": users[handler],
                "note": "",
            },
            receivers=[departments[code] for code in receivers],
        )
    return made


def _register(users, departments, title, *, reference="", valid_until=None, correspondence=None, lines=()):
    archivist = users[ARCHIVIST]
    return controlled.document_register(
        by=archivist,
        title=title,
        drafting_department=departments[MARKETING],
        source=demo_pdf(title, lines, name=f"{title}.pdf"),
        approval_papers=[demo_pdf(f"{title} 审批单", ["部门负责人：刘洋　同意发布。"], name=f"{title}审批单.pdf")],
        reference=reference,
        valid_until=valid_until,
        correspondence=correspondence,
    )


def seed_in_force(users, departments, correspondence=None):
    """In force: signed in the application, signed on paper for the
    department, lost and issued again under a new number (R-CTRL-1..3)."""
    archivist = users[ARCHIVIST]
    document = _register(
        users, departments, IN_FORCE_TITLE, reference=correspondence.number if correspondence else "",
        correspondence=correspondence,
        lines=["第一条　为规范市场推广费用的申请、审批和报销，制定本规定。", "第二条　本规定适用于市场部全体员工。"],
    )
    staff_copy, department_copy, head_copy = distribution.copies_distribute(
        document=document, by=archivist,
        recipients=[(users[STAFF], 1), (departments[MARKETING], 1), (users[HEAD], 1)],
    )
    distribution.copy_sign(copy=staff_copy, by=users[STAFF])
    distribution.copy_record_paper_signature(copy=department_copy, by=archivist, signer=users[SUNHAO])
    distribution.copy_sign(copy=head_copy, by=users[HEAD])
    copy_services.copy_report_lost(copy=head_copy, by=users[HEAD], note="出差途中遗失")
    copy_services.copy_reissue_lost(copy=head_copy, by=archivist)
    return document


def seed_time_limited(users, departments):
    """Valid for 60 days: the head signed, 张伟's copy waits for him (R-CTRL-5)."""
    archivist = users[ARCHIVIST]
    document = _register(
        users, departments, TIME_LIMITED_TITLE, valid_until=timezone.localdate() + datetime.timedelta(days=60),
        lines=["一、活动时间：自发布之日起六十天。", "二、活动内容：重点客户冬季促销及回访。"],
    )
    _staff_copy, head_copy = distribution.copies_distribute(
        document=document, by=archivist, recipients=[(users[STAFF], 1), (users[HEAD], 1)]
    )
    distribution.copy_sign(copy=head_copy, by=users[HEAD])
    return document


def seed_void(users, departments):
    """Void: every copy recalled; the head's came back and was destroyed,
    张伟's is still out (R-CTRL-5)."""
    archivist = users[ARCHIVIST]
    document = _register(
        users, departments, VOID_TITLE, lines=["第一条　客户来访须提前一日登记。", "第二条　接待费用按标准报销。"],
    )
    staff_copy, head_copy = distribution.copies_distribute(
        document=document, by=archivist, recipients=[(users[STAFF], 1), (users[HEAD], 1)]
    )
    distribution.copy_sign(copy=staff_copy, by=users[STAFF])
    distribution.copy_sign(copy=head_copy, by=users[HEAD])
    voiding.document_void(document=document, by=archivist, reason="接待流程已调整，本办法废止")
    voiding.copy_return(copy=head_copy, by=archivist)
    voiding.copy_destroy(copy=head_copy, by=archivist)
    return document


def seed_documents(people=None, log=print):
    """The register lines and the three controlled documents; skipped when
    they exist."""
    if is_seeded():
        log(_("Controlled documents: demo documents exist, skipped."))
        return []
    users, departments = _people()
    lines = seed_correspondence(users, departments)
    existing = set(ControlledDocument.objects.filter(title__in=DOCUMENT_TITLES).values_list("title", flat=True))
    made = []
    if IN_FORCE_TITLE not in existing:
        made.append(seed_in_force(users, departments, lines.get(CORRESPONDENCE[0][2])))
    if TIME_LIMITED_TITLE not in existing:
        made.append(seed_time_limited(users, departments))
    if VOID_TITLE not in existing:
        made.append(seed_void(users, departments))
    log(_("Documents: %(lines)d register lines and %(documents)d controlled documents with their copies.")
        % {"lines": len(lines), "documents": len(made)})
    return made
