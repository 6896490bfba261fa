"""A list's items: adding records with a proposal, changing a proposal,
striking an item off with a reason (R-DISP-1, R-DISP-2). Every service
locks the list row first, then the records."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.utils import bulk_create_with_history

from core.history import save_with_history
from disposal import checks, policies
from disposal.exceptions import DisposalRefused
from disposal.models import ItemAction, ListItem, ListKind
from disposal.reasons import DisposalReason
from disposal.services._common import item_text, locked_list, refuse_problems, withdraw_confirmations
from records.models.choices import MAX_RETENTION_YEARS

BATCH_SIZE = 500


def _action(disposal_list, action):
    """The proposal, checked against the list's kind: a weeding list weeds
    (R-DISP-1, the default there); an appraisal list destroys, extends,
    keeps permanently or transfers out (R-DISP-2)."""
    allowed = policies.ACTIONS_BY_KIND[disposal_list.kind]
    if action in (None, "") and len(allowed) == 1:
        return allowed[0]
    if action not in allowed:
        if disposal_list.kind == ListKind.WEEDING:
            message = _("A weeding list only weeds records out.")
        else:
            message = _("Propose for each record: destroy, extend retention, keep permanently or transfer out.")
        raise DisposalRefused(message, field="action")
    return action


def _extend_years(value):
    try:
        years = int(value)
    except (TypeError, ValueError):
        years = 0
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise DisposalRefused(
            _("Extend by: between 1 and %(max)d years.") % {"max": MAX_RETENTION_YEARS}, field="extend_years"
        )
    return years


def proposal(disposal_list, *, action, extend_years=None, receiving_body="", reason="", opinion=""):
    """The item's fields as they will be stored, or a refusal naming the
    field: a reason is needed to weed (R-DISP-1) and to extend, a receiving
    body to transfer out."""
    action = _action(disposal_list, action)
    needs_reason = {
        ItemAction.WEED: _("Reason: say why the record has no lasting value."),
        ItemAction.EXTEND: _("Reason: say why the record is kept longer."),
    }
    fields = {
        "action": action,
        "reason": item_text(reason, field="reason", missing=needs_reason.get(action)),
        "opinion": item_text(opinion, field="opinion"),
        "extend_years": _extend_years(extend_years) if action == ItemAction.EXTEND else None,
        "receiving_body": "",
    }
    if action == ItemAction.TRANSFER:
        fields["receiving_body"] = item_text(
            receiving_body, field="receiving_body", missing=_("Receiving body: name who receives the record.")
        )
    return fields


def _record_problem(record, fields):
    """What the proposal cannot do to this record."""
    problem = checks.action_problem(record, fields["action"])
    if problem is None and fields["action"] == ItemAction.EXTEND and record.retention_years is not None:
        room = MAX_RETENTION_YEARS - record.retention_years - record.retention_extended_years
        if fields["extend_years"] > room:
            problem = pgettext("why a record cannot be listed", "can be extended by at most %(years)d years") % {
                "years": max(room, 0)
            }
    return problem


def _ids(records):
    return list(dict.fromkeys(getattr(record, "pk", record) for record in records))


def _problems(disposal_list, locked, existing, fields):
    """{record_id: [reasons]} of the records that may not be added."""
    problems = checks.listing_problems(disposal_list, locked.values(), action=fields["action"])
    for record in locked.values():
        item = existing.get(record.pk)
        if item is not None and not item.struck_off:
            reason = (
                pgettext("why a record cannot be listed", "already on this list")
                if item.carried_out_at is None
                else pgettext("why a record cannot be listed", "already carried out on this list")
            )
            problems.setdefault(record.pk, []).append(reason)
        problem = _record_problem(record, fields)
        if problem:
            problems.setdefault(record.pk, []).append(problem)
    return problems


def _snapshot(record, now):
    return {"listed_status": record.status, "listed_record_updated_at": record.updated_at, "listed_at": now}


@transaction.atomic
def list_add_items(*, disposal_list, records, by, action=None, extend_years=None, receiving_body="", reason="",
                   opinion=""):
    """Put `records` (Record objects or ids) on the drafter's list with one
    proposal. All or nothing: a record that may not be listed (not on the
    shelf, not due, kept by a hold, a loan or a request, missing,
    permanent, on another open list) is refused with its archive number
    and the reason, and none is added. An item struck off this list
    earlier is listed again. Returns the items added."""
    disposal_list = locked_list(disposal_list)
    if not policies.may_edit(by, disposal_list):
        raise DisposalRefused(_("Only the drafter adds records, and only while the list is a draft or returned."))
    fields = proposal(
        disposal_list, action=action, extend_years=extend_years, receiving_body=receiving_body, reason=reason,
        opinion=opinion,
    )
    ids = _ids(records)
    if not ids:
        raise DisposalRefused(_("Choose at least one record to add."), field="records")
    locked = checks.lock_records(ids)
    if len(locked) != len(ids):
        raise DisposalRefused(_("Some of the records chosen no longer exist."), field="records")
    existing = {}
    for chunk in checks.chunks(ids):
        existing.update((item.record_id, item) for item in disposal_list.items.filter(record_id__in=chunk))
    refuse_problems(
        _problems(disposal_list, locked, existing, fields),
        locked,
        _("These records cannot be put on the list: %(problems)s."),
    )
    return _save_items(disposal_list, ids, locked, existing, fields, by)


def _save_items(disposal_list, ids, locked, existing, fields, by):
    now = timezone.now()
    added, new = [], []
    for pk in ids:
        snapshot = _snapshot(locked[pk], now)
        item = existing.get(pk)
        if item is None:
            new.append(ListItem(disposal_list=disposal_list, record=locked[pk], **fields, **snapshot))
            continue
        # Struck off earlier: listed again with the new proposal.
        for name, value in {**fields, **snapshot}.items():
            setattr(item, name, value)
        item.struck_off, item.struck_reason, item.struck_by, item.struck_at = False, "", None, None
        added.append(save_with_history(item, by=by, reason=DisposalReason.ITEM_LISTED))
    added.extend(
        bulk_create_with_history(
            new, ListItem, batch_size=BATCH_SIZE, default_user=by, default_change_reason=DisposalReason.ITEM_LISTED
        )
    )
    return added


def _locked_item(item):
    """Lock the item's list first (the order every service keeps), then
    re-read the item."""
    disposal_list = locked_list(item.disposal_list)
    # of=("self",): the record is only read here; PostgreSQL would lock it too.
    item = ListItem.objects.select_for_update(of=("self",)).select_related("record").get(pk=item.pk)
    item.disposal_list = disposal_list
    return item


def _refuse_unless_live(item):
    if item.struck_off:
        raise DisposalRefused(_("%(record)s is already struck off this list.") % {"record": item.record.archive_number})
    if item.carried_out_at is not None:
        raise DisposalRefused(
            _("%(record)s was already carried out on %(date)s.")
            % {"record": item.record.archive_number, "date": timezone.localtime(item.carried_out_at).strftime("%Y-%m-%d")}
        )


@transaction.atomic
def item_update(*, item, by, action=None, extend_years=None, receiving_body="", reason="", opinion=""):
    """The drafter changes what is proposed for one record."""
    item = _locked_item(item)
    if not policies.may_edit(by, item.disposal_list):
        raise DisposalRefused(_("Only the drafter changes a proposal, and only while the list is a draft or returned."))
    _refuse_unless_live(item)
    fields = proposal(
        item.disposal_list, action=action, extend_years=extend_years, receiving_body=receiving_body, reason=reason,
        opinion=opinion,
    )
    problem = _record_problem(item.record, fields)
    if problem:
        raise DisposalRefused(
            _("%(record)s: %(reason)s.") % {"record": item.record.archive_number, "reason": problem}, field="action"
        )
    for name, value in fields.items():
        setattr(item, name, value)
    return save_with_history(item, by=by, reason=DisposalReason.ITEM_CHANGED)


@transaction.atomic
def item_strike(*, item, by, reason):
    """Strike one item off with a reason; its record is kept as it is. The
    drafter while editing, the approver of the step the list waits for
    (R-DISP-1: the head strikes weeding items off), or the archivist
    before execution, for a record that can no longer be destroyed."""
    item = _locked_item(item)
    disposal_list = item.disposal_list
    step = policies.next_step(disposal_list)
    if not policies.may_strike(by, disposal_list, step):
        raise DisposalRefused(_("You cannot strike items off this list at its current step."))
    _refuse_unless_live(item)
    item.struck_reason = item_text(
        reason, field="struck_reason", missing=_("Reason for striking off: say why the record is kept.")
    )
    item.struck_off, item.struck_by, item.struck_at = True, by, timezone.now()
    save_with_history(item, by=by, reason=DisposalReason.ITEM_STRUCK)
    if step == policies.STEP_EXECUTION and item.action == ItemAction.DESTROY:
        withdraw_confirmations(disposal_list, by)
    return item
