"""Destruction (R-DISP-3): the archivist records when, where and how the
destroy items of an approved list were destroyed, by whom, before which two
witnesses (监销人); each witness confirms in the application; then the list
is executed, all or nothing, in one transaction: every record destroyed or
transferred out (records.services.disposition), or none. The files' bytes
leave the storage only after the commit (records.files.removal)."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from core.text import join_items
from disposal import notices, policies
from disposal.exceptions import DisposalRefused
from disposal.models import Destruction, DestructionMethod, ItemAction, ListState, Witness
from disposal.reasons import DisposalReason
from disposal.services._common import (
    locked_list,
    recheck_live_items,
    refuse_if_moved_on,
    refuse_state,
    text,
    withdraw_confirmations,
)
from disposal.services.approvals import mark_carried_out
from records.exceptions import RecordActionRefused
from records.services.disposition import (
    DISPOSITION_REASON_MAX_LENGTH as REASON_MAX_LENGTH,
    record_transfer_out,
    records_destroy,
)

WITNESSES_NEEDED = 2


def _refuse_unless_executable(disposal_list, by):
    step = policies.next_step(disposal_list)
    if step != policies.STEP_EXECUTION:
        refuse_state(disposal_list, _("List %(number)s is “%(state)s”: it is not approved for execution."))
    if not policies.may_execute(by, disposal_list, step):
        raise DisposalRefused(_("Only the archivist records and executes a destruction."))


def _approved_on(disposal_list):
    moment = disposal_list.leadership_approved_at or disposal_list.head_approved_at
    return timezone.localtime(moment).date()


def _date(disposal_list, date):
    """Destruction only after approval (R-DISP-2), and not a day to come."""
    if date is None:
        raise DisposalRefused(_("Date of destruction: enter the day it took place."), field="date")
    today, approved_on = timezone.localdate(), _approved_on(disposal_list)
    if date > today:
        raise DisposalRefused(_("Date of destruction: it cannot be after today."), field="date")
    if date < approved_on:
        raise DisposalRefused(
            _("Date of destruction: it cannot be before the approval of %(date)s.") % {"date": approved_on.isoformat()},
            field="date",
        )
    return date


def _people(executor, witnesses):
    """Two distinct active witnesses, neither of them the executor (R-DISP-3)."""
    if executor is None or not executor.is_active:
        raise DisposalRefused(_("Executor: choose a person with an active account."), field="executor")
    witnesses = [witness for witness in witnesses or [] if witness is not None]
    if len(witnesses) != WITNESSES_NEEDED:
        raise DisposalRefused(_("Name two witnesses of the destruction."), field="witnesses")
    first, second = witnesses
    if first.pk == second.pk:
        raise DisposalRefused(_("The two witnesses must be two different people."), field="witnesses")
    for witness in witnesses:
        if witness.pk == executor.pk:
            raise DisposalRefused(
                _("%(name)s carries out the destruction and cannot also witness it.") % {"name": witness.display_name},
                field="witnesses",
            )
        if not witness.is_active:
            raise DisposalRefused(
                _("%(name)s's account is inactive: an inactive account cannot witness a destruction.")
                % {"name": witness.display_name},
                field="witnesses",
            )
    return witnesses


def _fresh_users(users):
    """The people as they are now (an account deactivated meanwhile)."""
    User = get_user_model()
    by_pk = User.objects.in_bulk([user.pk for user in users if user is not None])
    return [by_pk.get(user.pk) if user is not None else None for user in users]


@transaction.atomic
def destruction_record(*, disposal_list, by, date, place, method, executor, witnesses):
    """Record (or record anew, before execution) how the list's destroy
    items are destroyed: date, place, method (shredding for paper, secure
    deletion for files), the executor and two witnesses, who are asked to
    confirm. A change of the facts withdraws earlier confirmations; a
    witness replaced keeps their row, marked replaced."""
    disposal_list = locked_list(disposal_list)
    _refuse_unless_executable(disposal_list, by)
    if not policies.live_items(disposal_list).filter(action=ItemAction.DESTROY).exists():
        raise DisposalRefused(_("List %(number)s destroys nothing: execute it without a destruction record.") % {
            "number": disposal_list.number
        })
    facts = {
        "date": _date(disposal_list, date),
        "place": text(place, model=Destruction, field="place", missing=_("Place: say where it was destroyed.")),
        "method": method,
    }
    if method not in DestructionMethod.values:
        raise DisposalRefused(_("Method: choose shredding, secure deletion or both."), field="method")
    executor, *witnesses = _fresh_users([executor, *(witnesses or [])])
    witnesses = _people(executor, witnesses)
    destruction = Destruction.objects.filter(disposal_list=disposal_list).first()
    if destruction is None:
        destruction = Destruction(disposal_list=disposal_list, executor=executor, **facts)
        changed = True
    else:
        changed = any(getattr(destruction, name) != value for name, value in facts.items()) or (
            destruction.executor_id != executor.pk
        )
        for name, value in facts.items():
            setattr(destruction, name, value)
        destruction.executor = executor
    destruction.recorded_by, destruction.recorded_at = by, timezone.now()
    save_with_history(destruction, by=by, reason=DisposalReason.DESTRUCTION_RECORDED)
    if changed:
        withdraw_confirmations(disposal_list, by)
    _name_witnesses(destruction, witnesses, by)
    return destruction


def _name_witnesses(destruction, people, by):
    """Replace witnesses no longer named, add the new ones, ask whoever has
    not confirmed to confirm."""
    current = {witness.user_id: witness for witness in destruction.witnesses.filter(replaced_at__isnull=True)}
    wanted = {person.pk for person in people}
    for user_id, witness in current.items():
        if user_id not in wanted:
            witness.replaced_at = timezone.now()
            save_with_history(witness, by=by, reason=DisposalReason.WITNESS_REPLACED)
            notices.witness_handled(witness)
    for person in people:
        witness = current.get(person.pk)
        if witness is None:
            witness = save_with_history(
                Witness(destruction=destruction, user=person), by=by, reason=DisposalReason.WITNESS_NAMED
            )
        if witness.confirmed_at is None:
            notices.witness_asked(witness)


@transaction.atomic
def witness_confirm(*, witness, by):
    """The witness confirms, in the application, that they saw the
    destruction (R-DISP-3); only that witness, once."""
    disposal_list = locked_list(witness.destruction.disposal_list)
    witness = (
        Witness.objects.select_for_update(of=("self",)).select_related("destruction", "user").get(pk=witness.pk)
    )
    if not policies.may_confirm(by, witness):
        raise DisposalRefused(_("Only the person named as witness confirms."))
    if not witness.is_current:
        raise DisposalRefused(_("You were replaced as a witness of this destruction; there is nothing to confirm."))
    if policies.next_step(disposal_list) != policies.STEP_EXECUTION:
        refuse_state(disposal_list, _("List %(number)s is “%(state)s”: there is no destruction to confirm."))
    if witness.confirmed_at is not None:
        raise DisposalRefused(
            _("You already confirmed on %(date)s.")
            % {"date": timezone.localtime(witness.confirmed_at).strftime("%Y-%m-%d %H:%M")}
        )
    witness.confirmed_at = timezone.now()
    save_with_history(witness, by=by, reason=DisposalReason.WITNESS_CONFIRMED)
    notices.witness_handled(witness)
    destruction = witness.destruction
    if not destruction.witnesses.filter(replaced_at__isnull=True, confirmed_at__isnull=True).exists():
        notices.witnesses_confirmed(destruction)
    return witness


def _refuse_unless_witnessed(disposal_list):
    """A list that destroys is executed only once the destruction is
    recorded and both witnesses confirmed (R-DISP-3)."""
    destruction = Destruction.objects.filter(disposal_list=disposal_list).first()
    if destruction is None:
        raise DisposalRefused(_("Record the destruction (date, place, method, executor, witnesses) first."))
    witnesses = list(destruction.witnesses.filter(replaced_at__isnull=True).select_related("user"))
    waiting = [witness.user.display_name for witness in witnesses if witness.confirmed_at is None]
    if len(witnesses) != WITNESSES_NEEDED or waiting:
        raise DisposalRefused(
            _("The destruction is executed once both witnesses have confirmed; waiting for: %(names)s.")
            % {"names": join_items(waiting) or "—"}
        )
    _date(disposal_list, destruction.date)
    return destruction


@transaction.atomic
def list_execute(*, disposal_list, by):
    """Carry the approved list out, all or nothing (R-DISP-3): every live
    destroy item's record DESTROYED (its files become tombstones), every
    transfer item's record TRANSFERRED. Every record is checked again under
    its lock first; any that can no longer be destroyed or transferred
    (lent, held, changed, still within its retention) is named and nothing
    happens: strike it off with a reason first."""
    seen, disposal_list = disposal_list, locked_list(disposal_list)
    refuse_if_moved_on(seen, disposal_list)
    _refuse_unless_executable(disposal_list, by)
    items, records = recheck_live_items(disposal_list, executing=True)
    if any(item.action == ItemAction.DESTROY for item in items):
        _refuse_unless_witnessed(disposal_list)
    now = timezone.now()
    _carry_out(disposal_list, items, records, by)
    for item in items:
        item.carried_out_at = now
    mark_carried_out(items, by)
    disposal_list.state = ListState.EXECUTED
    disposal_list.executed_by, disposal_list.executed_at = by, now
    save_with_history(disposal_list, by=by, reason=DisposalReason.LIST_EXECUTED)
    notices.witnesses_handled(disposal_list)
    notices.execution_handled(disposal_list)
    return disposal_list


def _reason(disposal_list, item):
    """Written into the record's history: the item's reason and the list."""
    if not item.reason:
        return _("Disposal list %(number)s") % {"number": disposal_list.number}
    text = _("Disposal list %(number)s: %(reason)s") % {"number": disposal_list.number, "reason": item.reason}
    return text[:REASON_MAX_LENGTH]


def _carry_out(disposal_list, items, records, by):
    """Every destroy item's record in one records_destroy call (set-based:
    10,000 records in one transaction), then each transfer. A refusal of
    records (a check it makes that the list's did not) undoes it all."""
    destroy = [item for item in items if item.action == ItemAction.DESTROY]
    transfer = [item for item in items if item.action == ItemAction.TRANSFER]
    other = [item for item in items if item.action not in ItemAction.striking_off()]
    if other:
        raise DisposalRefused(
            _("%(record)s: “%(action)s” is not carried out at execution.")
            % {"record": records[other[0].record_id].archive_number, "action": other[0].get_action_display()}
        )
    try:
        if destroy:
            records_destroy(
                records=[records[item.record_id] for item in destroy],
                reason={item.record_id: _reason(disposal_list, item) for item in destroy},
                by=by,
            )
        for item in transfer:
            record_transfer_out(
                record=records[item.record_id], receiving_body=item.receiving_body,
                reason=_reason(disposal_list, item), by=by,
            )
    except RecordActionRefused as refusal:
        raise DisposalRefused(refusal.message) from refusal
