"""冻结登记簿: the holds (records.Hold) placed on records, with what each
was placed on (its scope), why, by whom and when, until when, and who
released it, when and why; the holds in force, or every hold ever
placed. Holds are never deleted, so the register is complete."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from disposal.registers.common import day_text, listed_records, person, refuse_unless_may_print
from records.models import Hold
from records.printing import Column, TableRegister
from records.selectors import visibility_condition

SHOW_ACTIVE = "active"
SHOW_ALL = "all"


def hold_rows(reader, *, show=SHOW_ACTIVE, today=None):
    """Holds on records `reader` may see (R-LEND-4), in the order they were
    placed: those in force today, or all."""
    condition = visibility_condition(reader, through="record__")
    if condition is None:
        return Hold.objects.none()
    holds = Hold.objects.filter(condition)
    if show == SHOW_ACTIVE:
        holds = holds.active(today)
    return holds.select_related("record", "placed_by", "released_by").order_by("placed_at", "pk")


def hold_state(hold, today):
    if hold.released_at is not None:
        return pgettext("a hold", "Released")
    if hold.ends_on is not None and hold.ends_on < today:
        return _("Ended on %(date)s") % {"date": day_text(hold.ends_on)}
    return pgettext("a hold", "In force")


def _counts(holds, today):
    released = holds.filter(released_at__isnull=False).count()
    in_force = holds.active(today).count()
    return released, in_force


def holds_register(reader, *, show=SHOW_ACTIVE):
    """冻结登记簿 of the holds in force (`show` "active") or of all."""
    today = timezone.localdate()
    holds = hold_rows(reader, show=show, today=today)
    count = holds.count()
    released, in_force = _counts(holds, today)
    return TableRegister(
        title=pgettext("disposal register", "Holds register"),
        subtitle=_("Holds in force on %(date)s") % {"date": day_text(today)}
        if show == SHOW_ACTIVE
        else _("Every hold placed, as of %(date)s") % {"date": day_text(today)},
        columns=[
            Column(gettext_lazy("Archive number"), "record.archive_number", width=22),
            Column(gettext_lazy("Title"), "record.title", width=26),
            Column(gettext_lazy("Scope"), "scope", width=12),
            Column(gettext_lazy("Reason"), "reason", width=20),
            Column(gettext_lazy("Placed by"), lambda hold: person(hold.placed_by), width=9),
            Column(gettext_lazy("Placed at"), "placed_at", width=15, align="center"),
            Column(gettext_lazy("Ends on"), "ends_on", width=11, align="center"),
            Column(gettext_lazy("State"), lambda hold: hold_state(hold, today), width=10, align="center"),
            Column(gettext_lazy("Released by"), lambda hold: person(hold.released_by), width=9),
            Column(gettext_lazy("Released at"), "released_at", width=15, align="center"),
            Column(gettext_lazy("Reason for release"), "release_reason", width=18),
        ],
        rows=holds,
        row_count=count,
        footer_lines=[
            _("Holds: %(count)d · in force: %(in_force)d · released: %(released)d · ended: %(ended)d")
            % {"count": count, "in_force": in_force, "released": released, "ended": count - in_force - released}
        ],
        signatures=[_("Kept by"), _("Checked by")],
        filename=_("holds-register"),
        landscape=True,
        reader=reader,
        listed_records=listed_records(holds),
    )


def holds_from_form(reader, form):
    """The register a valid HoldsRegisterForm selects (records.register_jobs)."""
    refuse_unless_may_print(reader)
    return holds_register(reader, show=form.cleaned_data["show"])
