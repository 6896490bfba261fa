"""Document numbers (市场发〔2026〕12号, R-SCOPE 3–4), controlled documents'
numbers in their year and controlled numbers of copies (SK-2026-012-03,
R-CTRL-2), after the patterns in DocumentsPolicy. Every number is taken
inside the transaction that saves its row: gapless, never twice."""
from django.db import transaction

from core.models import next_in_year
from documents.models import ControlledDocument, DocumentCounter, DocumentsPolicy

PURGE_NUMBER_PREFIX = "XH"  # 销毁 (register lines disposed of)


def allocate_correspondence_number(direction, year):
    """(serial, number) of the next incoming or outgoing document of `year`."""
    policy = DocumentsPolicy.current()
    pattern = policy.incoming_number_pattern if direction == DocumentCounter.Kind.INCOMING else policy.outgoing_number_pattern
    serial = next_in_year(DocumentCounter, year, kind=direction)
    return serial, pattern.format(year=year, number=serial)


def allocate_document_serial(year):
    """The next controlled document's number in `year` (the 012 of SK-2026-012-03)."""
    return next_in_year(DocumentCounter, year, kind=DocumentCounter.Kind.CONTROLLED)


def allocate_purge_number(year):
    return f"{PURGE_NUMBER_PREFIX}-{year}-{next_in_year(DocumentCounter, year, kind=DocumentCounter.Kind.PURGE):04d}"


def format_control_number(document, copy_number):
    pattern = DocumentsPolicy.current().control_number_pattern
    return pattern.format(year=document.year, document=document.serial, copy=copy_number)


def allocate_copy_numbers(document, count):
    """`count` new (copy_number, control_number) pairs of `document`. Locks
    the document row until the caller's transaction ends, so two
    distributors at once get consecutive numbers, none twice (R-CTRL-2)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Copy numbers must be allocated inside transaction.atomic().")
    locked = ControlledDocument.objects.select_for_update().only("pk", "last_copy_number").get(pk=document.pk)
    first = locked.last_copy_number + 1
    locked.last_copy_number += count
    ControlledDocument.objects.filter(pk=document.pk).update(last_copy_number=locked.last_copy_number)
    document.last_copy_number = locked.last_copy_number
    return [(number, format_control_number(document, number)) for number in range(first, first + count)]
