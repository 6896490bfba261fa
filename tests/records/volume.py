"""Many records, contracts and clients made fast (bulk_create, no history:
history is not what the query-count tests are about), for pages measured at
10 and at 1,000 rows (tests/*/test_query_counts.py).

Every batch repeats the same mix, so the first page of any list holds the
same kinds of row at both sizes: public, internal and confidential records
(a confidential one on a page writes an access-log row, R-ACCESS), each
linked to a few people of its own (submitter, responsible person), so a
page that still asked something per row or per person would grow."""
import datetime
import itertools

from django.utils import timezone

from accounts.models import User
from clients.models import Client, ClientEvent, ClientType, EventKind, allocate_client_numbers
from contracts.models import Contract, ContractHolding, ContractType, Holder
from records.models import Handover, HandoverItem, Record, RecordStatus, SecurityLevel
from records.search.indexing import index_records
from tests.factories import category, marketing_department

LEVELS = [SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL]
_numbers = itertools.count(1)


def people(count, prefix="vol"):
    """`count` users of the archive's department, in one insert."""
    department = marketing_department()
    start = next(_numbers)
    User.objects.bulk_create(
        User(username=f"{prefix}{start}-{index}", full_name=f"批量用户{start}-{index}", department=department)
        for index in range(count)
    )
    return list(User.objects.filter(username__startswith=f"{prefix}{start}-").order_by("pk"))


def records(count, *, status=RecordStatus.FILED, submitted_by=None, levels=LEVELS, code="HTDL", index=True):
    """`count` records in `status`, the security levels in turn; filed ones
    have archive numbers and filing times one minute apart (newest last).
    `submitted_by` is a user or a list of users taken in turn. Indexed for
    search unless `index=False`."""
    now = timezone.now()
    plan = category(code)
    department = marketing_department()
    submitters = submitted_by if isinstance(submitted_by, list) else [submitted_by]
    catalogued = status in RecordStatus.catalogued()
    rows = []
    for position in range(count):
        number = next(_numbers)
        submitter = submitters[position % len(submitters)]
        rows.append(
            Record(
                archive_number=f"VOL-{number:07d}" if catalogued else None,
                item_number=number if catalogued else None,
                title=f"批量档案{number}",
                category=plan,
                year=2024,
                security_level=levels[position % len(levels)],
                status=status,
                department=department,
                submitted_by=submitter,
                submitted_at=now - datetime.timedelta(days=1, minutes=count - position) if submitter else None,
                filed_at=now - datetime.timedelta(minutes=count - position) if catalogued else None,
            )
        )
    created = Record.objects.bulk_create(rows)
    if index:
        index_records([record.pk for record in created])
    return created


def contracts(count, *, today=None, responsible=None):
    """`count` contract records: a third expiring within 30 days, a third
    expired (still filed), a third running; each with two holdings."""
    today = today or timezone.localdate()
    people_list = responsible if isinstance(responsible, list) else [responsible]
    ends = [today + datetime.timedelta(days=10), today - datetime.timedelta(days=10), today + datetime.timedelta(days=400)]
    made = records(count, code="HTDL")
    rows = [
        Contract(
            record=record,
            contract_type=ContractType.AGENT_AGREEMENT,
            contract_number=f"VOL-HT-{record.pk:07d}",
            counterparty_name=f"批量公司{record.pk}",
            signed_on=today - datetime.timedelta(days=365 + position),
            starts_on=today - datetime.timedelta(days=365),
            ends_on=ends[position % 3],
            amount=1000 + position,
            responsible_person=people_list[position % len(people_list)],
        )
        for position, record in enumerate(made)
    ]
    Contract.objects.bulk_create(rows)
    ContractHolding.objects.bulk_create(
        ContractHolding(contract=contract, holder=holder)
        for contract in rows
        for holder in (Holder.GENERAL_MANAGER_OFFICE, Holder.MARKETING)
    )
    return rows


def clients(count, *, responsible=None, reviewed_by=None):
    """`count` client profiles, never reviewed (so all are due), each
    responsible person taken in turn."""
    people_list = responsible if isinstance(responsible, list) else [responsible]
    codes = allocate_client_numbers(count)
    rows = [
        Client(
            code=code,
            client_type=ClientType.AGENT,
            name=f"批量客户{code}",
            responsible=people_list[position % len(people_list)],
        )
        for position, code in enumerate(codes)
    ]
    return Client.objects.bulk_create(rows)


def client_history(client, count, *, recorded_by):
    """`count` records linked to `client` and an event naming each."""
    linked = records(count, code="KHDL")
    client.records.add(*linked)
    today = timezone.localdate()
    ClientEvent.objects.bulk_create(
        ClientEvent(
            client=client,
            kind=EventKind.VISIT,
            date=today - datetime.timedelta(days=position),
            summary=f"回访{position}",
            record=record,
            recorded_by=recorded_by[position % len(recorded_by)],
        )
        for position, record in enumerate(linked)
    )
    return linked


def handover(count, *, handed_over_by, received_by):
    """A handover of `count` filed items."""
    items = records(count, submitted_by=handed_over_by)
    made = Handover.objects.create(
        number=f"VOL-JJ-{next(_numbers):06d}", handed_over_by=handed_over_by,
        received_by=received_by, received_at=timezone.now(),
    )
    HandoverItem.objects.bulk_create(
        HandoverItem(handover=made, record=record, copies_received=1, pages_received=3) for record in items
    )
    return made


def add_handover_items(made, count):
    """`count` more filed items on the handover `made`."""
    items = records(count, submitted_by=made.handed_over_by)
    HandoverItem.objects.bulk_create(
        HandoverItem(handover=made, record=record, copies_received=1, pages_received=3) for record in items
    )
