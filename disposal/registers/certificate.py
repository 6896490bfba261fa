"""档案销毁清册 / 销毁证明: the destruction list and certificate of an
executed list (R-DISP-3). The particulars first (date, place, method,
the executor, the two witnesses with the moment each confirmed in the
application, who approved, who executed), then every record destroyed,
then the statement and the signature lines of the executor, the two
witnesses, the department head and leadership."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from disposal.models import ItemAction
from disposal.registers.common import (
    day_text,
    list_items,
    listed_records,
    moment_text,
    person,
    record_columns,
    refuse_unless_may_print,
    signature,
    with_file_counts,
)
from records.printing import Column, Summary, TableRegister


def destroyed_items(disposal_list, reader):
    """The list's destroy items carried out, as `reader` may see them."""
    items = list_items(disposal_list, reader).filter(action=ItemAction.DESTROY, carried_out_at__isnull=False)
    return with_file_counts(items)


def current_witnesses(destruction):
    """The two witnesses (a witness replaced before execution is not)."""
    return list(destruction.witnesses.filter(replaced_at__isnull=True).select_related("user").order_by("pk"))


def witness_text(witness):
    if witness.confirmed_at is None:
        return _("%(name)s, not confirmed") % {"name": person(witness.user)}
    return _("%(name)s, confirmed on %(moment)s") % {
        "name": person(witness.user),
        "moment": moment_text(witness.confirmed_at),
    }


def _approval(user, moment):
    if user is None:
        return _("not yet approved")
    return _("%(name)s, approved on %(moment)s") % {"name": person(user), "moment": moment_text(moment)}


def particulars_summary(disposal_list, destruction, witnesses):
    rows = [
        [_("List number"), disposal_list.number],
        [_("Date of destruction"), day_text(destruction.date)],
        [pgettext("destruction", "Place"), destruction.place],
        [pgettext("destruction", "Method"), destruction.get_method_display()],
        [_("Executor"), person(destruction.executor)],
        *([_("Witness"), witness_text(witness)] for witness in witnesses),
        [_("Department head"), _approval(disposal_list.head_approved_by, disposal_list.head_approved_at)],
        [_("Leadership"), _approval(disposal_list.leadership_approved_by, disposal_list.leadership_approved_at)],
        [pgettext("a disposal list", "Executed"), _("%(name)s, on %(moment)s") % {
            "name": person(disposal_list.executed_by), "moment": moment_text(disposal_list.executed_at)
        }],
    ]
    return Summary(heading=_("The destruction"), rows=rows)


def statement(count, destruction):
    return _("The %(count)d records above were destroyed in full on %(date)s at %(place)s by %(method)s.") % {
        "count": count,
        "date": day_text(destruction.date),
        "place": destruction.place,
        "method": destruction.get_method_display(),
    }


def destruction_certificate(reader, disposal_list):
    """档案销毁清册 / 销毁证明 of an executed list with a destruction."""
    destruction = disposal_list.destruction
    witnesses = current_witnesses(destruction)
    items = destroyed_items(disposal_list, reader)
    count = items.count()
    return TableRegister(
        title=pgettext("disposal register", "Destruction list and certificate"),
        subtitle=_("List %(number)s · Appraisal year %(year)d") % {
            "number": disposal_list.number, "year": disposal_list.year
        },
        summaries=[particulars_summary(disposal_list, destruction, witnesses)],
        columns=[
            *record_columns(category=True, retention_end=False, location=False),
            Column(gettext_lazy("Pages"), "record.pages", width=6, align="right"),
            Column(gettext_lazy("Electronic files"), "files", width=8, align="right"),
        ],
        rows=items,
        row_count=count,
        footer_lines=[statement(count, destruction)],
        signatures=[
            signature(_("Executor"), destruction.executor),
            *(signature(_("Witness"), witness.user) for witness in witnesses),
            signature(_("Department head"), disposal_list.head_approved_by),
            signature(_("Leadership"), disposal_list.leadership_approved_by),
        ],
        filename="-".join([_("destruction-certificate"), disposal_list.number]),
        landscape=True,
        reader=reader,
        listed_records=listed_records(items),
    )


def certificate_from_form(reader, form):
    """The certificate a valid CertificateForm selects (records.register_jobs)."""
    refuse_unless_may_print(reader)
    return destruction_certificate(reader, form.cleaned_data["list"])
