"""Who may do what with correspondence and controlled documents. Pure rule
checks: they read the user's permissions and the rows' state and change
nothing. Screens, the admin, the services (again, under lock) and the
tests all ask here.

- The archivist (records.file_record) keeps the correspondence registers
  (R-SCOPE 3–4), registers controlled documents handed over by their
  drafting department and distributes them (R-CTRL-1, R-CTRL-2), records
  paper signatures, replaces lost and damaged copies (R-CTRL-3, R-CTRL-4),
  voids and recalls (R-CTRL-5) and proposes expired register lines for
  disposal (R-CTRL-7).
- The department head countersigns revisions (R-CTRL-6) and approves the
  disposal of expired register lines (R-CTRL-7); never their own proposal.
- Every active user holds the copies issued to them (or signed for by them
  for their department): they sign for, download and report them."""
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from documents.models import CopyState, DocumentState

FILE_RECORD = "records.file_record"
COUNTERSIGN_REVISION = "documents.countersign_revision"
APPROVE_REGISTER_PURGE = "documents.approve_register_purge"

# A copy in one of these states is out with its holder.
COPY_OUT_STATES = (CopyState.ISSUED, CopyState.SIGNED)
# Documents whose copies may still be issued (R-CTRL-2).
DISTRIBUTABLE_STATES = (DocumentState.READY, DocumentState.IN_FORCE)
# Documents whose copies are valid (the 受控文件清单).
VALID_STATES = (DocumentState.IN_FORCE,)


def is_past_end(document, today=None):
    """A time-limited document, ready or in force, past its last valid day:
    it lapses (R-CTRL-5), and everything treats it as lapsed before the
    daily job marks it so."""
    today = today or timezone.localdate()
    return document.valid_until is not None and document.valid_until < today and document.state in DISTRIBUTABLE_STATES


def past_end_condition(today):
    """is_past_end as a query condition on controlled documents."""
    return Q(state__in=DISTRIBUTABLE_STATES, valid_until__lt=today)


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def may_keep_registers(user):
    """The archivist registers incoming and outgoing documents (R-SCOPE 3–4)."""
    return _active(user) and user.has_perm(FILE_RECORD)


def may_distribute(user):
    """The archivist is the distributor (R-CTRL-1)."""
    return may_keep_registers(user)


def may_view_documents(user):
    """The registers, documents and their copies are read by the archivist
    and the department head."""
    return _active(user) and user.has_perm("documents.view_controlleddocument")


def may_countersign(user, document=None):
    """The department head countersigns a revision (R-CTRL-6); never one
    they submitted themselves."""
    if not (_active(user) and user.has_perm(COUNTERSIGN_REVISION)):
        return False
    return document is None or document.marked_by_id != user.pk


def may_decide_purges(user):
    return _active(user) and user.has_perm(APPROVE_REGISTER_PURGE)


def may_decide_purge(user, purge):
    """The department head approves disposing of expired register lines
    (R-CTRL-7); never their own proposal."""
    return may_decide_purges(user) and purge.proposed_by_id != user.pk


def is_holder(user, copy):
    """The holder of a copy: its recipient, or the member of the recipient
    department who signed for it."""
    if not _active(user):
        return False
    if copy.holder_id is not None:
        return copy.holder_id == user.pk
    return copy.recipient_user_id == user.pk


def may_sign_for(user, copy):
    """The addressed person, or any active member of the addressed
    department, signs for an issued copy."""
    if not _active(user) or copy.state != CopyState.ISSUED:
        return False
    if copy.recipient_user_id is not None:
        return copy.recipient_user_id == user.pk
    return user.department_id is not None and user.department_id == copy.recipient_department_id


def may_download(user, copy):
    """Only the holder downloads their stamped copy, once signed for and
    while it is valid (R-CTRL-2)."""
    return copy.state == CopyState.SIGNED and is_holder(user, copy)


def may_download_reference(user, copy):
    """The archivist reads the reference copy kept of a void document
    (R-CTRL-5); it is stamped 作废."""
    return may_distribute(user) and copy.state == CopyState.REFERENCE


def may_report(user, copy):
    """The holder or the archivist reports a copy lost or damaged; a copy
    that is no longer out (recalled, returned, destroyed) cannot be
    (R-CTRL-3, R-CTRL-4)."""
    if copy.state not in COPY_OUT_STATES:
        return False
    return is_holder(user, copy) or may_distribute(user)


# Part CORE: registering, distributing, signing for, lost and damaged copies
# (R-CTRL-1..4).
# Documents no copy is issued from or paper added to any more.
ENDED_STATES = (DocumentState.SUPERSEDED, DocumentState.VOID, DocumentState.LAPSED)


def archivists():
    """Active users who keep the registers (records.file_record), told of
    lost and damaged copies; superusers not counted."""
    return get_user_model().objects.with_perm(
        FILE_RECORD, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    ).filter(is_active=True)


def may_register_document(user):
    """The distributor (the archivist) registers the document the drafting
    department hands over (R-CTRL-1)."""
    return may_distribute(user)


def may_record_paper_signature(user, copy):
    """The archivist records that the addressed person (or a member of the
    addressed department) signed for an issued copy on paper."""
    return may_distribute(user) and copy.state == CopyState.ISSUED


def may_reissue_lost(user, copy):
    """The archivist issues a new copy, under a new number, for a lost one
    (R-CTRL-3) while the document may still be distributed."""
    return (
        may_distribute(user) and copy.state == CopyState.LOST and copy.document.state in DISTRIBUTABLE_STATES
    )


def may_replace_damaged(user, copy):
    """The archivist destroys a damaged copy and hands over a new one under
    the same number, on the same line (R-CTRL-4)."""
    return (
        may_distribute(user) and copy.state in COPY_OUT_STATES and copy.document.state in DISTRIBUTABLE_STATES
    )
