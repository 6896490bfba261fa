"""The subjects of documents' notices that ask someone to act, and their
clearing once the thing is done, by whoever, or can no longer be done
(issue 16): the notice then leaves every recipient's counter and list of
new notices (accounts.notices.notices_resolve). The wording stays beside
the services that send it (services.distribution, copies, _lifecycle).

- sign_subject: copies issued to a person, or to a department ("one of you
  signs for it"), wait for a signature (R-CTRL-2). Handled once no copy of
  that document addressed to them still waits: signed for (in the
  application or on paper), recalled, lapsed or reported lost.
- return_subject: a person told to hand recalled copies back (R-CTRL-5).
  A recall's reminders name copies of several documents in one notice, so
  the subject is the person's: handled once they have no recalled copy
  left to hand back (selectors.copies_to_return, the to-do line's count).
- copy_subject: the archivists told of a copy reported lost or damaged
  (R-CTRL-3, R-CTRL-4). Handled once it is replaced, or when its document
  ends (void, superseded, lapsed) and it can no longer be.

Every notice documents sends asks for one of these; none is plain news."""
from django.db.models import Q

from accounts.notices import notices_resolve
from documents import selectors
from documents.models import ControlledCopy, CopyState


def sign_subject(copy):
    """One subject per document and addressee: a notice names all the
    copies issued to them at once."""
    if copy.recipient_user_id is not None:
        return f"documents.sign:{copy.document_id}:user:{copy.recipient_user_id}"
    return f"documents.sign:{copy.document_id}:department:{copy.recipient_department_id}"


def return_subject(user):
    return f"documents.return:{user.pk}"


def copy_subject(copy):
    return f"documents.copy:{copy.pk}"


def signing_handled(copies):
    """Some of `copies` no longer wait for a signature: whoever was asked to
    sign for copies of the same document and addressee, and has none left
    waiting, has nothing left to do."""
    addressed = {sign_subject(copy): copy for copy in copies}
    resolved = 0
    for subject, copy in addressed.items():
        waiting = ControlledCopy.objects.filter(
            document_id=copy.document_id,
            recipient_user_id=copy.recipient_user_id,
            recipient_department_id=copy.recipient_department_id,
            state=CopyState.ISSUED,
        )
        if not waiting.exists():
            resolved += notices_resolve(subject=subject)
    return resolved


def returns_handled(people):
    """A recalled copy came back: each of `people` (those told to hand it
    back) with no recalled copy left to hand back has nothing left to do."""
    return sum(
        notices_resolve(subject=return_subject(person))
        for person in people
        if not selectors.copies_to_return(person).exists()
    )


def copy_handled(copy):
    """The lost or damaged copy was replaced: the archivists told of it have
    nothing left to do."""
    return notices_resolve(subject=copy_subject(copy))


def document_ended(document):
    """The document is void, superseded or lapsed: its lost copies are not
    reissued and its damaged ones not replaced any more (R-CTRL-5), so the
    archivists' notices about them are settled."""
    reported = ControlledCopy.objects.filter(document=document).filter(
        Q(state=CopyState.LOST) | Q(damage_reported_at__isnull=False)
    )
    return sum(copy_handled(copy) for copy in reported.only("pk"))
