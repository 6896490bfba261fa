"""What the disposal registers share: the items of a
list as its reader may see them, the record columns, and dates, times,
names and proposals written out as a reader reads them (local time, the
language's own date format: 2026年12月3日 14:05)."""
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from disposal import policies
from disposal.exceptions import DisposalRefused
from disposal.models import ItemAction
from records.models import Attachment, Record
from records.models.choices import retention_label
from records.printing import Column
from records.selectors import visibility_condition

def refuse_unless_may_print(user):
    """Asked again when a background job builds the register: the reader
    may have lost the right since asking."""
    if not policies.may_print_registers(user):
        raise DisposalRefused(_("You may not print the disposal registers."))


# -- rows ----------------------------------------------------------------------


def visible_items(items, reader):
    """`items` (ListItem rows) whose record `reader` may see (R-LEND-4):
    a register never names a record its reader may not know of."""
    condition = visibility_condition(reader, through="record__")
    if condition is None:
        return items.none()
    return items.filter(condition)


ITEM_ORDER = ("record__category__code", "record__year", "record__item_number", "record__archive_number", "pk")


def list_items(disposal_list, reader, *, standing=True):
    """The items of `disposal_list` its reader may see, in archive-number
    order (class, year, item), with their records, classes and locations;
    only those not struck off when `standing`."""
    items = disposal_list.items.all()
    if standing:
        items = items.filter(struck_off=False)
    return (
        visible_items(items, reader)
        .select_related("record__category", "record__location")
        .order_by(*ITEM_ORDER)
    )


def listed_records(items):
    """The records of `items`, for the access log of a printed register."""
    return Record.objects.filter(pk__in=items.values("record_id"))


def with_file_counts(items):
    """`items` with `files`: how many electronic files each record has (or
    had: a destroyed file stays as a tombstone)."""
    files = (
        Attachment.objects.filter(record_id=OuterRef("record_id"))
        .order_by()
        .values("record_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return items.annotate(files=Coalesce(Subquery(files), 0))


# -- text ----------------------------------------------------------------------


def moment_text(value):
    """A moment in local time, in the language's format (2026年12月3日 14:05)."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def day_text(value):
    """A day in the language's format (2026年12月3日)."""
    return "" if value is None else formats.date_format(value, "DATE_FORMAT")


def person(user):
    return user.display_name if user is not None else ""


def category_text(record):
    return f"{record.category.code} {record.category.name}"


def retention_text(record):
    """保管期限 as it stands, with an extension given at an appraisal."""
    label = str(retention_label(record.retention_years))
    if record.retention_years is not None and record.retention_extended_years:
        return _("%(retention)s, extended by %(years)d") % {
            "retention": label,
            "years": record.retention_extended_years,
        }
    return label


def proposal_text(item):
    """What the list proposes for the record, with its reason."""
    if item.action == ItemAction.EXTEND and item.extend_years:
        years = item.extend_years
        text = ngettext("Extend retention by %(years)d year", "Extend retention by %(years)d years", years) % {
            "years": years
        }
    elif item.action == ItemAction.TRANSFER and item.receiving_body:
        text = _("Transfer out to %(body)s") % {"body": item.receiving_body}
    else:
        text = str(item.get_action_display())
    if item.reason and item.action != ItemAction.WEED:
        text = pgettext("a proposal and its reason", "%(proposal)s (%(reason)s)") % {
            "proposal": text,
            "reason": item.reason,
        }
    return text


def signed_line(step, user, moment):
    """"Department head: 张三, approved on 2026年12月3日 14:05", or that the
    step is still to come."""
    if user is None:
        return _("%(step)s: not yet approved") % {"step": step}
    return _("%(step)s: %(name)s, approved on %(moment)s") % {
        "step": step,
        "name": person(user),
        "moment": moment_text(moment),
    }


def head_line(disposal_list):
    return signed_line(_("Department head"), disposal_list.head_approved_by, disposal_list.head_approved_at)


def leadership_line(disposal_list):
    return signed_line(_("Leadership"), disposal_list.leadership_approved_by, disposal_list.leadership_approved_at)


def opinion_line(disposal_list):
    opinion = " ".join(disposal_list.opinion.split())
    return _("Appraisal opinion: %(opinion)s") % {"opinion": opinion or _("none written")}


def list_subtitle(disposal_list):
    return _("List %(number)s · Appraisal year %(year)d · %(state)s") % {
        "number": disposal_list.number,
        "year": disposal_list.year,
        "state": disposal_list.get_state_display(),
    }


def signature(label, user=None):
    """A signature blank's label, with the name of who signs when known."""
    if user is None:
        return label
    return pgettext("a signature line", "%(role)s %(name)s") % {"role": label, "name": person(user)}


def record_columns(*, location=True, retention_end=True, category=False):
    """The record's own columns: archive number, title, (class,) year,
    retention, (retention end,) medium, copies, (location)."""
    columns = [
        Column(gettext_lazy("Archive number"), "record.archive_number", width=24),
        Column(gettext_lazy("Title"), "record.title", width=34),
    ]
    if category:
        columns.append(Column(gettext_lazy("Class"), lambda item: category_text(item.record), width=14))
    columns += [
        Column(gettext_lazy("Year"), "record.year", width=7, align="center"),
        Column(gettext_lazy("Retention"), lambda item: retention_text(item.record), width=10, align="center"),
    ]
    if retention_end:
        columns.append(
            Column(gettext_lazy("Retention ends"), "record.retention_expires_on", width=11, align="center")
        )
    columns += [
        Column(gettext_lazy("Medium"), "record.get_medium_display", width=8, align="center"),
        Column(gettext_lazy("Copies"), "record.copies", width=6, align="right"),
    ]
    if location:
        columns.append(Column(gettext_lazy("Location"), lambda item: str(item.record.location or ""), width=14))
    return columns
