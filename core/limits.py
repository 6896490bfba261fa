"""Ranges of the numbers and dates people enter, with one message that names
the field.

The database's own ranges differ: PostgreSQL stops a smallint at 32,767 and
an integer at 2,147,483,647, SQLite stores anything. Model fields name the
range they hold (`range_validators`), so ModelForms, the back office and
`full_clean` (imports) refuse the same values on both databases; plain
forms use `bounded_integer` and `bounded_date`. Dates outside 1900–2999
are typing errors, and year 1 or 9999 breaks date arithmetic (a register
"to 9999-12-31" needs the day after)."""
import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

# PositiveSmallIntegerField and PositiveIntegerField on PostgreSQL.
SMALL_INTEGER_MAX = 32767
INTEGER_MAX = 2147483647

FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2999, 12, 31)


def range_message(label, low, high):
    """"Copies must be between 1 and 32767." in the reader's language."""
    return format_lazy(_("{field} must be between {low} and {high}."), field=capfirst(label), low=low, high=high)


def range_validators(label, low, high):
    """Validators refusing values outside low..high (both included)."""
    message = range_message(label, low, high)
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


def date_validators(label):
    """Validators refusing dates outside FIRST_DATE..LAST_DATE."""
    return range_validators(label, FIRST_DATE, LAST_DATE)


def bounded_integer(label, low, high, **kwargs):
    """A form's whole-number field for low..high, refused with the range message."""
    message = range_message(label, low, high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={"min_value": message, "max_value": message},
        **kwargs,
    )


def bounded_date(label, **kwargs):
    """A form's date field for FIRST_DATE..LAST_DATE, refused with the range
    message."""
    kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    field = forms.DateField(label=label, validators=date_validators(label), **kwargs)
    field.widget.attrs.setdefault("min", FIRST_DATE.isoformat())
    field.widget.attrs.setdefault("max", LAST_DATE.isoformat())
    return field
