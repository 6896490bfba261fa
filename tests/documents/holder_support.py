"""Builders shared by the holder's tests (test_holder_*.py): many copies at
once (bulk, for the query counts), a purge list, a page's parts."""
from django.utils import timezone

from documents.models import ControlledCopy, CopyState, RegisterPurge
from tests.conftest import speak_english


def signed_in(client, user, *, english=True):
    # Read again: support.make_document may have saved the archivist anew
    # (a new password hash signs a stale session out).
    client.force_login(type(user).objects.get(pk=user.pk))
    if english:
        speak_english(client)
    return client


def bulk_copies(
    document, count, *, recipient_user=None, recipient_department=None, state=CopyState.ISSUED, holder=None, **fields
):
    """`count` copies of `document` at once (no history: the lists and the
    query counts are under test, not the services)."""
    first = document.last_copy_number + 1
    now = timezone.now()
    copies = [
        ControlledCopy(
            document=document,
            copy_number=number,
            control_number=f"QC-{document.pk}-{number:05d}",
            recipient_user=recipient_user,
            recipient_department=recipient_department,
            state=state,
            issued_by=document.marked_by,
            issued_at=now,
            holder=holder,
            signed_at=now if holder else None,
            **fields,
        )
        for number in range(first, first + count)
    ]
    ControlledCopy.objects.bulk_create(copies)
    document.last_copy_number = first + count - 1
    document.save(update_fields=["last_copy_number"])
    return copies


def make_purge(proposed_by, number="XH-2026-0001", **kw):
    return RegisterPurge.objects.create(number=number, proposed_by=proposed_by, proposed_at=timezone.now(), **kw)


def rows_of(page):
    """{copy or document pk: its table row} of a list page."""
    found = {}
    for marker in ("data-copy", "data-document"):
        for part in page.split(f'<tr {marker}="')[1:]:
            pk, _sep, rest = part.partition('"')
            found[int(pk)] = rest.split("</tr>")[0]
    return found
