"""What disposal tells people, in-app and by mail (accounts.notices.notify:
the row is written in the caller's transaction, the mail leaves only after
it commits, so a refused step tells nobody anything):

- the approvers of the step a list waits for (R-DISP-1, R-DISP-2);
- the drafter, when the list is approved or returned;
- each witness, when asked to confirm a destruction (R-DISP-3);
- whoever recorded the destruction, once both witnesses confirmed.

A notice that asks someone to act carries a subject: approval_subject (sign
the list), witness_subject (confirm the destruction), execution_subject
(record the destruction and execute the list). Once the thing is done, or
can no longer be done, the services call the matching *_handled function
and the notice leaves every recipient's counter (issue 16).

Notices name a list by its number and kind, never a record's title: the
text goes by mail."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts.notices import notices_resolve, notify
from disposal import policies
from disposal.models import Witness

# URL names of the disposal screens the notices link to.
LIST_PAGE = "disposal_list_detail"
INBOX_PAGE = "disposal_inbox"
WITNESS_PAGE = "disposal_witness_confirm"


def page_url(name, **kwargs):
    """The page's address, or "" while the screen does not exist."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _values(disposal_list, **extra):
    return {"number": disposal_list.number, "kind": disposal_list.get_kind_display(), **extra}


def approval_subject(disposal_list):
    return f"disposal.list:{disposal_list.pk}"


def witness_subject(witness):
    return f"disposal.witness:{witness.pk}"


def execution_subject(disposal_list):
    return f"disposal.execution:{disposal_list.pk}"


def witness_handled(witness):
    """The witness confirmed, or was replaced: nothing left for them to confirm."""
    return notices_resolve(subject=witness_subject(witness))


def witnesses_handled(disposal_list):
    """The list was returned or executed: none of its witnesses has anything
    left to confirm."""
    witnesses = Witness.objects.filter(destruction__disposal_list=disposal_list).only("pk")
    return sum(witness_handled(witness) for witness in witnesses)


def execution_handled(disposal_list):
    """The list was executed, returned, or its witnesses' confirmations were
    withdrawn: "execute it" no longer stands (it is asked again once both
    witnesses confirm anew)."""
    return notices_resolve(subject=execution_subject(disposal_list))


def approval_needed(disposal_list, step=None):
    """To each person who may sign the step the list now waits for. The
    step before was signed (or the list is new): its approvers' notices are
    cleared first, for everyone they went to (issue 16)."""
    notices_resolve(subject=approval_subject(disposal_list))
    step = step or policies.next_step(disposal_list)
    if step == policies.STEP_HEAD:
        text = _("%(kind)s %(number)s waits for your approval as department head.")
    elif step == policies.STEP_LEADERSHIP:
        text = _("%(kind)s %(number)s waits for leadership's final approval of destruction.")
    else:
        return []
    text = text % _values(disposal_list)
    url = page_url(INBOX_PAGE) or page_url(LIST_PAGE, pk=disposal_list.pk)
    subject = approval_subject(disposal_list)
    return [notify(user, text, url, subject) for user in policies.approvers(disposal_list, step)]


def approved(disposal_list, by, step):
    """To the drafter: approved by the head or by leadership; what is next."""
    if step == policies.STEP_HEAD:
        text, subject = _("%(kind)s %(number)s was approved by %(approver)s (department head)."), ""
    else:
        text = _("%(kind)s %(number)s was approved by %(approver)s (leadership); record the destruction and execute it.")
        subject = execution_subject(disposal_list)
    text = text % _values(disposal_list, approver=by.display_name)
    return _to_drafter(disposal_list, text, by, subject)


def returned(disposal_list, by, reason):
    """To the drafter; whoever was asked to sign or confirm has nothing left
    to do. The list now waits for its drafter: the notice carries the
    list's approval_subject, so submitting it again clears it."""
    notices_resolve(subject=approval_subject(disposal_list))
    witnesses_handled(disposal_list)
    execution_handled(disposal_list)
    text = _("%(kind)s %(number)s was returned to you by %(by)s: %(reason)s") % _values(
        disposal_list, by=by.display_name, reason=reason
    )
    return _to_drafter(disposal_list, text, by, approval_subject(disposal_list))


def _to_drafter(disposal_list, text, by, subject=""):
    drafter = disposal_list.drafted_by
    if drafter.pk == by.pk or not drafter.is_active:
        return []
    return [notify(drafter, text, page_url(LIST_PAGE, pk=disposal_list.pk), subject)]


def witness_asked(witness):
    """To a witness (监销人, R-DISP-3): confirm in the application. Asked
    again (the destruction recorded anew), they keep one notice, the latest."""
    witness_handled(witness)
    destruction = witness.destruction
    text = _(
        "You are named as a witness of the destruction under %(kind)s %(number)s on %(date)s at %(place)s; "
        "please confirm it."
    ) % _values(destruction.disposal_list, date=destruction.date.isoformat(), place=destruction.place)
    return notify(witness.user, text, page_url(WITNESS_PAGE, pk=witness.pk), witness_subject(witness))


def witnesses_confirmed(destruction):
    """To whoever recorded the destruction: the list can be executed."""
    disposal_list = destruction.disposal_list
    text = _("Both witnesses confirmed the destruction under %(kind)s %(number)s; it can be executed.") % _values(
        disposal_list
    )
    return notify(
        destruction.recorded_by, text, page_url(LIST_PAGE, pk=disposal_list.pk), execution_subject(disposal_list)
    )
