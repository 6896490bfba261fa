"""Who may do what with disposal lists, and which step a list waits for.
Pure rule checks: they read the user's permissions and the list's state and
change nothing. Screens, the admin, the services (again, under the list's
lock) and the tests all ask here.

- The archivist (records.file_record) drafts lists, records the
  destruction and executes it; the drafter alone edits and submits.
- The department head (records.approve_disposal) approves weeding lists
  (R-DISP-1) and appraisal lists (R-DISP-2), first signature.
- Leadership (records.approve_destruction) gives the second, final
  approval of a list that destroys anything (R-DISP-2: destruction only
  after approval).
- Nobody approves a list they drafted, and nobody signs both steps."""
from django.contrib.auth import get_user_model

from disposal.models import ItemAction, ListKind, ListState

FILE_RECORD = "records.file_record"
APPROVE_DISPOSAL = "records.approve_disposal"
APPROVE_DESTRUCTION = "records.approve_destruction"
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

# Steps a list may wait for (next_step).
STEP_DRAFTER = "drafter"
STEP_HEAD = "head"
STEP_LEADERSHIP = "leadership"
STEP_EXECUTION = "execution"

# Actions each kind of list may propose (R-DISP-1, R-DISP-2).
ACTIONS_BY_KIND = {
    ListKind.WEEDING: (ItemAction.WEED,),
    ListKind.APPRAISAL: (ItemAction.DESTROY, ItemAction.EXTEND, ItemAction.KEEP_PERMANENTLY, ItemAction.TRANSFER),
}


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def holders(permission):
    """Active users holding `permission` through a role or themselves
    (superusers not counted: they are not an approver by default)."""
    return get_user_model().objects.with_perm(permission, include_superusers=False, backend=PERMISSION_BACKEND)


def may_draft(user):
    """The archivist drafts weeding and appraisal lists (R-DISP-1, R-DISP-2)."""
    return _active(user) and user.has_perm(FILE_RECORD)


def may_edit(user, disposal_list):
    """The drafter changes a draft or returned list: adds, changes and
    strikes items, writes the opinion, submits."""
    return may_draft(user) and disposal_list.drafted_by_id == user.pk and disposal_list.is_editable


def next_step(disposal_list, *, has_live_destroy=None, has_live_items=None):
    """Who the list waits for: STEP_DRAFTER (draft or returned), STEP_HEAD,
    STEP_LEADERSHIP (approved by the head and destroying something),
    STEP_EXECUTION (approved; destroy or transfer items wait to be carried
    out), or None (executed). `has_live_destroy` / `has_live_items` may be
    given when the caller knows them; otherwise they are read."""
    state = disposal_list.state
    if state in ListState.editable():
        return STEP_DRAFTER
    if state == ListState.SUBMITTED:
        return STEP_HEAD
    if state == ListState.HEAD_APPROVED:
        if has_live_destroy is None:
            has_live_destroy = live_items(disposal_list).filter(action=ItemAction.DESTROY).exists()
        return STEP_LEADERSHIP if has_live_destroy else STEP_EXECUTION
    if state == ListState.LEADERSHIP_APPROVED:
        return STEP_EXECUTION
    return None


def live_items(disposal_list):
    """Items still proposed and not yet carried out."""
    return disposal_list.items.filter(struck_off=False, carried_out_at__isnull=True)


def _not_a_signer(user, disposal_list):
    """Nobody approves a list they drafted; nobody signs both steps."""
    return user.pk not in (disposal_list.drafted_by_id, disposal_list.head_approved_by_id)


def may_approve(user, disposal_list, step=None):
    """The department head signs a submitted list (R-DISP-1, R-DISP-2);
    leadership signs a head-approved list that destroys anything (R-DISP-2).
    Never the drafter, never the same person twice."""
    step = step or next_step(disposal_list)
    if not _active(user) or not _not_a_signer(user, disposal_list):
        return False
    if step == STEP_HEAD:
        return user.has_perm(APPROVE_DISPOSAL)
    if step == STEP_LEADERSHIP:
        return user.has_perm(APPROVE_DESTRUCTION)
    return False


def may_execute(user, disposal_list, step=None):
    """The archivist records the destruction and executes an approved list."""
    step = step or next_step(disposal_list)
    return may_draft(user) and step == STEP_EXECUTION


def may_return(user, disposal_list, step=None):
    """A list goes back to its drafter, with a reason, from any step before
    execution: by the approver of the step it waits for, or, once
    approved, by the archivist who finds it cannot be executed."""
    step = step or next_step(disposal_list)
    if step in (STEP_HEAD, STEP_LEADERSHIP):
        return may_approve(user, disposal_list, step)
    if step == STEP_EXECUTION:
        return may_execute(user, disposal_list, step)
    return False


def may_strike(user, disposal_list, step=None):
    """Striking an item off (with a reason) keeps its record: the drafter
    while editing, the approver of the step the list waits for, the
    archivist before execution (an item that can no longer be destroyed)."""
    step = step or next_step(disposal_list)
    if step == STEP_DRAFTER:
        return may_edit(user, disposal_list)
    return may_return(user, disposal_list, step)


def may_confirm(user, witness):
    """A witness confirms for themselves only (R-DISP-3)."""
    return _active(user) and witness.user_id == user.pk


# Who prints the disposal registers: whoever drafts, approves or executes
# lists (the archivist, the department head, leadership).
PRINTING_PERMISSIONS = (FILE_RECORD, APPROVE_DISPOSAL, APPROVE_DESTRUCTION)


def may_print_registers(user):
    """The archivist (records.file_record), the department head
    (records.approve_disposal) and leadership (records.approve_destruction)
    print the appraisal report, the weeding and destruction lists, the
    destruction register and the holds register (R-DISP-1..3)."""
    return _active(user) and any(user.has_perm(permission) for permission in PRINTING_PERMISSIONS)


def may_view(user):
    """Lists, items and destructions are read by those who draft, approve
    or execute them (disposal.grants: view permissions)."""
    return _active(user) and user.has_perm("disposal.view_disposallist")


def approvers(disposal_list, step=None):
    """Who may sign the step the list waits for, in a fixed order: the
    people to tell it waits for them."""
    step = step or next_step(disposal_list)
    permission = {STEP_HEAD: APPROVE_DISPOSAL, STEP_LEADERSHIP: APPROVE_DESTRUCTION}.get(step)
    if permission is None:
        return []
    excluded = [pk for pk in (disposal_list.drafted_by_id, disposal_list.head_approved_by_id) if pk]
    return list(holders(permission).exclude(pk__in=excluded).order_by("pk"))
