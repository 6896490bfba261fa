"""The matrix's world: one object of each kind a URL can name, with texts
no page shows by accident (titles such as 机密矩阵标题甲, phone numbers and
ID numbers used nowhere else), so finding one in a response means the page
showed that object.

Built through the ORM (and the shared `filed_record` fixture for filing) so
the world does not depend on the services it is meant to watch."""
import datetime
import hashlib
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import AccountEvent, AccountEventKind, Notice
from accounts.roles import Role
from clients.models import Client, ClientContact, ClientDataAccess, ClientEvent
from clients.validators import resident_id_check_code
from contracts.models import Contract, ContractHolding, Holder
from contracts.policies import CATEGORY_BY_TYPE
from core.mail import mail_later
from django_tasks_db.models import DBTaskResult
from disposal.models import Destruction, DisposalList, ItemAction, ListItem, ListKind, ListState, Witness
from inventory.models import Difference, RepairTask, Scan, Stocktake, StocktakeUnit, WriteOff
from jobs.models import Job, JobState
from lending.models import Approval, Extension, Incident, Loan, LoanRequest
from records.models import (
    AccessGrant,
    AccessLog,
    ArchiveSequence,
    Attachment,
    Category,
    Handover,
    HandoverItem,
    Hold,
    RecordStatus,
    SecurityLevel,
    SingletonPolicy,
)
from tests.access_matrix.world_documents import add_documents
from tests.access_matrix.world_ledgers import add_ledgers
from tests.conftest import make_user
from tests.factories import LocationFactory, RecordFactory, category, marketing_department

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


def resident_id(first_17_digits):
    return first_17_digits + resident_id_check_code(first_17_digits)


# Contacts' personal data: (client name, contact, phone, e-mail, ID number).
CONTACTS = (
    ("矩阵客户甲", "矩阵联系人甲", "13911112222", "matrix.jia@example.com", resident_id("11010119900307123")),
    ("矩阵客户乙", "矩阵联系人乙", "13933334444", "matrix.yi@example.com", resident_id("31010419851120567")),
)


@dataclass
class World:
    users: dict  # Role -> the role's user (tests/conftest.py)
    colleague: object  # another member of staff, owner of most things
    records: dict = field(default_factory=dict)  # variant name -> Record
    contacts: list = field(default_factory=list)
    objects: dict = field(default_factory=dict)  # model label -> [(variant name, object)]

    def add(self, name, obj):
        self.objects.setdefault(obj._meta.label_lower, []).append((name, obj))
        return obj

    def objects_of(self, label):
        return self.objects.get(label, [])


def _add_records(world, filed_record):
    staff, colleague = world.users[Role.STAFF], world.colleague
    filed = {
        "public": ("公开矩阵标题丙", P, "HTDL"),
        "internal": ("内部矩阵标题乙", I, "HTDL"),
        "confidential": ("机密矩阵标题甲", C, "HTDL"),
        "confidential, granted to staff": ("机密授权矩阵标题庚", C, "HTDL"),
        "confidential contract": ("机密合同矩阵标题己", C, CATEGORY_BY_TYPE["agent_agreement"]),
    }
    for name, (title, level, code) in filed.items():
        # The staff user handed the contract over (_add_handovers).
        submitter = staff if name == "confidential contract" else colleague
        world.records[name] = filed_record(
            title=title, security_level=level, category=category(code), submitted_by=submitter
        )
    world.records["colleague's submission"] = RecordFactory(
        title="同事提交矩阵标题丁", security_level=I, submitted_by=colleague, submitted_at=timezone.now()
    )
    world.records["staff's confidential draft"] = RecordFactory(
        title="草稿机密矩阵标题戊", security_level=C, status=RecordStatus.DRAFT, submitted_by=staff
    )
    for name, record in world.records.items():
        world.add(name, record)


def _add_attachments(world):
    archivist = world.users[Role.ARCHIVIST]
    for name, file_name in (("public", "公开矩阵附件丙.txt"), ("confidential", "机密矩阵附件甲.txt")):
        content = f"matrix attachment {name}".encode()
        world.add(f"of the {name} record", Attachment.objects.create(
            record=world.records[name],
            file=ContentFile(content, name="matrix.txt"),
            original_name=file_name,
            size=len(content),
            content_type="text/plain",
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=archivist,
        ))


def _add_handovers(world):
    """One handover from the colleague of three filed records, one from the
    staff user of the confidential contract (the hander-over may print it)."""
    archivist, now = world.users[Role.ARCHIVIST], timezone.now()
    batches = (
        ("JJ-MX-0001", world.colleague, ("public", "internal", "confidential")),
        ("JJ-MX-0002", world.users[Role.STAFF], ("confidential contract",)),
    )
    for number, given_by, names in batches:
        handover = world.add(f"from {given_by.username}", Handover.objects.create(
            number=number, handed_over_by=given_by, received_by=archivist, received_at=now
        ))
        for name in names:
            HandoverItem.objects.create(handover=handover, record=world.records[name], copies_received=1, pages_received=1)


def _add_clients(world):
    """Two clients, one the staff user's, one the colleague's; each with a
    contact whose personal data the matrix looks for."""
    responsible = (world.users[Role.STAFF], world.colleague)
    for owner, (client_name, contact_name, phone, email, id_number) in zip(responsible, CONTACTS):
        client = world.add(f"{owner.username}'s", Client.objects.create(
            name=client_name, client_type="agent", responsible=owner
        ))
        client.records.add(world.records["confidential"], world.records["public"])
        contact = world.add(f"of {client_name}", ClientContact.objects.create(
            client=client, name=contact_name, position="经理", phone=phone, email=email, id_number=id_number
        ))
        world.contacts.append(contact)
        ClientEvent.objects.create(
            client=client, kind="visit", date=datetime.date(2024, 5, 1), summary="矩阵来访",
            record=world.records["confidential"], recorded_by=owner,
        )
    world.add("unmasking", ClientDataAccess.objects.create(
        user=world.users[Role.ARCHIVIST], action="unmask", client=client
    ))


def _add_contract(world):
    client = world.objects_of("clients.client")[0][1]
    contract = world.add("confidential", Contract.objects.create(
        record=world.records["confidential contract"],
        contract_type="agent_agreement",
        contract_number="HT-MX-001",
        counterparty=client,
        counterparty_name=client.name,
        signed_on=datetime.date(2024, 3, 1),
        responsible_person=world.users[Role.STAFF],
    ))
    ContractHolding.objects.create(contract=contract, holder=Holder.MARKETING, copies=1)


def _request(world, name, requester, record, **fields):
    fields = {"kind": "borrow", "purpose": "矩阵借阅", "days": 2, **fields}
    return world.add(name, LoanRequest.objects.create(requester=requester, record=world.records[record], **fields))


def _loan(world, name, request, handed_out_by):
    now = timezone.now()
    return world.add(name, Loan.objects.create(
        request=request, record=request.record, borrower=request.requester, handed_out_by=handed_out_by,
        out_at=now - datetime.timedelta(days=1), due_at=now + datetime.timedelta(days=1),
    ))


def _add_lending(world):
    """A pending borrow, a pending view of a confidential record, and two
    open loans (one of a confidential record, to leadership) with an
    extension and an incident."""
    colleague, archivist = world.colleague, world.users[Role.ARCHIVIST]
    head, leader = world.users[Role.DEPARTMENT_HEAD], world.users[Role.LEADERSHIP]
    _request(world, "pending borrow", colleague, "internal")
    _request(world, "pending confidential view", colleague, "confidential", kind="view", days=1)
    out = _request(world, "out", colleague, "public", state="out")
    Approval.objects.create(request=out, step="archive_head", approver=head, approved=True)
    confidential_out = _request(world, "confidential out", leader, "confidential", state="out")
    loan = _loan(world, "of the public record", out, archivist)
    _loan(world, "of the confidential record", confidential_out, archivist)
    world.add("pending", Extension.objects.create(
        loan=loan, requested_by=colleague, new_due_at=loan.due_at + datetime.timedelta(days=2), reason="矩阵延期"
    ))
    world.add("late", Incident.objects.create(
        loan=loan, record=loan.record, borrower=colleague, kind="late", opened_by=archivist
    ))
    world.add("the colleague's", Notice.objects.create(user=colleague, text="矩阵通知", url="/lending/"))


def _add_back_office_rows(world):
    users = world.users
    world.add("granted to staff", AccessGrant.objects.create(
        user=users[Role.STAFF], record=world.records["confidential, granted to staff"],
        ends_at=timezone.now() + datetime.timedelta(days=1), reason="矩阵授权", granted_by=users[Role.DEPARTMENT_HEAD],
    ))
    world.add("on the confidential record", Hold.objects.create(
        record=world.records["confidential"], reason="矩阵冻结", placed_by=users[Role.ARCHIVIST]
    ))
    world.add("confidential view", AccessLog.objects.create(
        user=users[Role.ARCHIVIST], record=world.records["confidential"], action="view"
    ))
    contracts_class = Category.objects.get(code="HTDL")
    contracts_class.save()  # seeded by a migration: this gives it a version in its history
    world.add("contracts class", contracts_class)
    world.add("room", LocationFactory(code="MX1", name="矩阵档案室"))
    world.add("contracts 2024", ArchiveSequence.objects.filter(category__code="HTDL").first())
    for model in apps.get_models():
        if issubclass(model, SingletonPolicy):  # each app's policy values (records.models.policy)
            world.add("in force", model.current())
    world.add("marketing", marketing_department())
    world.add("colleague", world.colleague)
    world.add("staff role", Group.objects.get(name=Role.STAFF.group_name))
    _add_account_rows(world)
    _add_job(world)


def _add_job(world):
    """The archivist's finished register: its file lists the confidential
    record, so nobody else may open the job or download it."""
    job = Job(kind="records.register_pdf", owner=world.users[Role.ARCHIVIST], title="矩阵登记表",
              state=JobState.SUCCEEDED, result_name="register.txt", result_content_type="text/plain")
    job.save()
    job.result_file.save("register.txt", ContentFile(world.records["confidential"].title.encode()))
    world.add("archivist's register", job)
    mail_later("矩阵邮件", "矩阵", ["colleague@example.com"])
    world.add("queued mail", DBTaskResult.objects.get(task_path="core.mail.send_mail_task"))


def _add_account_rows(world):
    """The sign-in log (django-axes) and the account log."""
    world.add("failed sign-ins", AccessAttempt.objects.create(
        username="matrix_guess", ip_address="10.9.9.9", user_agent="matrix", failures_since_start=2,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    ))
    world.add("failed sign-in", AccessFailureLog.objects.create(
        username="matrix_guess", ip_address="10.9.9.9", user_agent="matrix", http_accept="",
        path_info="/accounts/login/", attempt_time=timezone.now(),
    ))
    world.add("sign-in", SignInLog.objects.create(
        username="matrix_colleague", ip_address="10.9.9.8", user_agent="matrix", http_accept="",
        path_info="/accounts/login/", attempt_time=timezone.now(),
    ))
    world.add("role granted", AccountEvent.objects.create(
        kind=AccountEventKind.ROLE_GRANTED, user=world.colleague, actor_name="sysadmin", summary="矩阵账号变更",
    ))


def _add_disposal(world):
    """A year-end list waiting for the head with an item on the public and
    on the confidential record, and an approved one whose destruction (of
    the internal record) the staff user and the colleague witness."""
    archivist, now = world.users[Role.ARCHIVIST], timezone.now()
    lists = {}
    for name, number, state, records in (
        ("awaiting the head", "XH-MX-0001", ListState.SUBMITTED, ("public", "confidential")),
        ("approved", "XH-MX-0002", ListState.LEADERSHIP_APPROVED, ("internal",)),
    ):
        lists[name] = world.add(name, DisposalList.objects.create(
            number=number, kind=ListKind.APPRAISAL, year=2024, state=state, opinion="矩阵鉴定意见",
            drafted_by=archivist,
        ))
        for record_name in records:
            record = world.records[record_name]
            world.add(f"{record_name} on {name}", ListItem.objects.create(
                disposal_list=lists[name], record=record, action=ItemAction.DESTROY, listed_status=record.status,
                listed_record_updated_at=record.updated_at, listed_at=now,
            ))
    destruction = world.add("of the approved list", Destruction.objects.create(
        disposal_list=lists["approved"], date=timezone.localdate(), place="矩阵销毁地点", method="shredding",
        executor=archivist, recorded_by=archivist, recorded_at=now,
    ))
    for name, user in (("staff", world.users[Role.STAFF]), ("colleague", world.colleague)):
        world.add(f"{name} witnessing", Witness.objects.create(destruction=destruction, user=user))


def _add_disposal_done(world, filed_record):
    """A weeding list the head approved and an executed list with its
    destruction and two confirmed witnesses, each of a confidential record
    kept out of world.records (the disposal registers print them; their
    own pages are not asked again): the weeding list, the certificate and
    the destruction register have something to print."""
    archivist, head, now = world.users[Role.ARCHIVIST], world.users[Role.DEPARTMENT_HEAD], timezone.now()
    done = dict(state=ListState.EXECUTED, year=2024, drafted_by=archivist, head_approved_by=head,
                head_approved_at=now, executed_by=archivist, executed_at=now)
    for name, number, kind, action, status, title in (
        ("weeded", "XH-MX-0003", ListKind.WEEDING, ItemAction.WEED, RecordStatus.WEEDED, "机密矩阵剔除档案"),
        ("executed", "XH-MX-0004", ListKind.APPRAISAL, ItemAction.DESTROY, RecordStatus.DESTROYED, "机密矩阵销毁档案"),
    ):
        record = filed_record(title=title, security_level=C, year=2000, retention_years=10)
        disposal_list = world.add(name, DisposalList.objects.create(number=number, kind=kind, **done))
        world.add(f"on the {name} list", ListItem.objects.create(
            disposal_list=disposal_list, record=record, action=action, reason="矩阵处置理由",
            listed_status=record.status, listed_record_updated_at=record.updated_at, listed_at=now, carried_out_at=now,
        ))
        type(record).objects.filter(pk=record.pk).update(status=status)
    destruction = world.add("of the executed list", Destruction.objects.create(
        disposal_list=disposal_list, date=timezone.localdate(), place="矩阵销毁地点", method="shredding",
        executor=archivist, recorded_by=archivist, recorded_at=now,
    ))
    for name, user in (("staff", world.users[Role.STAFF]), ("colleague", world.colleague)):
        world.add(f"{name} confirmed", Witness.objects.create(destruction=destruction, user=user, confirmed_at=now))


def _add_inventory(world):
    """An open stocktake of one box with a scan of the confidential record
    noted damaged, its difference resolved, a write-off requested of it
    and a repair task of the public record."""
    archivist, now = world.users[Role.ARCHIVIST], timezone.now()
    room = world.objects_of("records.location")[0][1]
    box = LocationFactory(kind="box", parent=room, code="MXB1", name="矩阵盒")
    stocktake = world.add("open", Stocktake.objects.create(
        number="PD-MX-0001", year=2024, opened_by=archivist, opened_at=now
    ))
    unit = world.add("of the open stocktake", StocktakeUnit.objects.create(stocktake=stocktake, location=box))
    record = world.records["confidential"]
    world.add("of the confidential record", Scan.objects.create(
        stocktake=stocktake, unit=unit, code=record.archive_number, record=record, outcome="found",
        condition="damaged", note="矩阵破损", by=archivist, at=now,
    ))
    world.add("of the confidential record", Difference.objects.create(
        stocktake=stocktake, unit=unit, record=record, kind="damaged", resolution="accepted", note="矩阵说明",
        resolved_by=archivist, resolved_at=now,
    ))
    world.add("of the confidential record", WriteOff.objects.create(
        record=record, stocktake=stocktake, kind="loss", reason="矩阵核销理由", requested_by=archivist,
        requested_at=now,
    ))
    world.add("of the public record", RepairTask.objects.create(
        record=world.records["public"], stocktake=stocktake, kind="copy", due_on=timezone.localdate(),
        opened_by=archivist, opened_at=now,
    ))


def build_world(role_users, filed_record):
    """Every kind of object a URL of the site names, with texts to look for."""
    world = World(users=dict(role_users), colleague=make_user(Role.STAFF, "matrix_colleague"))
    _add_records(world, filed_record)
    _add_attachments(world)
    _add_handovers(world)
    _add_clients(world)
    _add_contract(world)
    _add_lending(world)
    _add_back_office_rows(world)
    _add_disposal(world)
    _add_disposal_done(world, filed_record)
    _add_inventory(world)
    add_documents(world)
    add_ledgers(world)
    return world
