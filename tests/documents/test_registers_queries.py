"""The registers read a fixed number of queries whatever the number of
lines or documents (tests/query_counts.py counts every statement)."""
import pytest
from django.utils import timezone

from documents.models import ControlledCopy, ControlledDocument, CopyState, DocumentState
from documents.registers.distribution import distribution_register
from documents.registers.purge import purge_certificate
from documents.registers.valid import valid_register
from tests.documents.registers_support import YEAR, purged
from tests.factories import UserFactory, marketing_department
from tests.query_counts import count_queries

pytestmark = pytest.mark.usefixtures("private_storage")


def _copies(document, archivist, count, **fields):
    """`count` lines, alternately to a person signed in the application and
    to the department signed on paper."""
    people = [UserFactory() for _n in range(3)]
    now = timezone.now()
    start = document.last_copy_number
    copies = []
    for n in range(1, count + 1):
        to_person = n % 2
        copies.append(ControlledCopy(
            document=document, copy_number=start + n, control_number=f"Q-{document.pk}-{start + n:05d}",
            recipient_user=people[n % 3] if to_person else None,
            recipient_department=None if to_person else marketing_department(),
            state=CopyState.SIGNED, issued_by=archivist, issued_at=now, holder=people[n % 3], signed_at=now,
            signed_on_paper=not to_person, signature_recorded_by=None if to_person else archivist,
            remark="查询计数", **fields,
        ))
    ControlledCopy.objects.bulk_create(copies)
    ControlledDocument.objects.filter(pk=document.pk).update(last_copy_number=start + count)


def _documents(archivist, count):
    ControlledDocument.objects.bulk_create([
        ControlledDocument(
            year=YEAR, serial=1000 + n, title=f"受控文件{n}", drafting_department=marketing_department(),
            state=DocumentState.IN_FORCE, source_file="documents/x", source_name="x.pdf", sha256="0" * 64,
            page_count=1, marked_by=archivist, marked_at=timezone.now(), distributed_at=timezone.now(),
        )
        for n in range(count)
    ])
    return list(ControlledDocument.objects.order_by("pk"))


def _queries(build):
    build().to_xlsx()  # the reader's permissions and the policy are read once
    with count_queries() as counted:
        register = build()
        register.to_xlsx()
    return counted.total, register.row_count


@pytest.mark.parametrize("size", [10, 300])
def test_the_distribution_register_reads_the_same_queries_for_10_and_300_lines(archivist, size):
    documents = _documents(archivist, 2)
    for document in documents:
        _copies(document, archivist, size // 2)
    total, rows = _queries(lambda: distribution_register(archivist, year=YEAR))
    assert rows == size
    # The footer's states, the count and the lines with their documents and people.
    assert total == 3, size


@pytest.mark.parametrize("size", [10, 300])
def test_the_valid_list_reads_the_same_queries_for_10_and_300_documents(archivist, size):
    for document in _documents(archivist, size):
        _copies(document, archivist, 2)
    total, rows = _queries(lambda: valid_register(archivist))
    assert rows == size
    assert total == 2, size


@pytest.mark.parametrize("size", [10, 300])
def test_the_purge_certificate_reads_the_same_queries_for_10_and_300_lines(archivist, department_head, size):
    _document, purge, _copies_purged = purged(archivist, department_head, lines=1)
    (document,) = [row for row in _documents(archivist, 1) if row.serial == 1000]
    _copies(document, archivist, size - 1, purge=purge)
    total, rows = _queries(lambda: purge_certificate(archivist, purge))
    assert rows == size
    assert total == 2, size
