"""Cell widgets and column helpers shared by every ledger import and
export (records, contracts, clients): how one cell is read and written.

Choices, yes/no and retention are written in the active language and read
back in English or Chinese, so a file exported in Chinese is imported in
Chinese. A cell that cannot be read raises ImportCellError, whose message
becomes the row's error (row_message).
"""
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from import_export import fields, widgets

from accounts.models import User
from core.text_input import clean_text
from records.ledgers.layout import shown_column
from records.models.choices import retention_label


class LocalDateTimeWidget(widgets.Widget):
    """A moment as the portal shows it: local time, to the minute. Export
    only (the columns using it are read-only)."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def exported_moment(attribute, label):
    """A read-only column of a date and time, in local time."""
    return fields.Field(attribute=attribute, column_name=label, widget=LocalDateTimeWidget(), readonly=True)


def choice_label(attribute, label):
    """An export column showing a choice field's label instead of its code."""
    return fields.Field(attribute=f"get_{attribute}_display", column_name=label, readonly=True)


class ImportCellError(ValueError):
    """A cell's value cannot be imported; the message is the reason."""


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class LookupWidget(widgets.Widget):
    """A foreign key found by one text attribute (code, full code, name),
    looked up in a dictionary filled once per import instead of one query
    per row."""

    def __init__(self, model, attribute, unknown_message):
        super().__init__()
        self.model = model
        self.attribute = attribute
        self.unknown_message = unknown_message
        self._by_key = None

    def reset(self):
        self._by_key = None

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if self._by_key is None:
            self._by_key = {getattr(obj, self.attribute): obj for obj in self.model.objects.all()}
        key = cell_text(value)
        try:
            return self._by_key[key]
        except KeyError:
            raise ImportCellError(self.unknown_message % {"value": key}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.attribute)


def person_field(attribute, label):
    """A column naming a user by display name (responsible person, …)."""
    return fields.Field(
        attribute=attribute,
        column_name=label,
        widget=LookupWidget(User, "display_name", _("unknown person %(value)s")),
    )


class ChoiceLabelWidget(widgets.Widget):
    """A choice shown by its label in the active language; read back from
    the code or the label in English or Chinese."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices
        self._by_text = None

    def _lookup(self):
        if self._by_text is None:
            self._by_text = {}
            for value, label in self.choices.choices:
                self._by_text[value.casefold()] = value
                for language in ("en", "zh-hans"):
                    with override(language):
                        self._by_text[str(label).casefold()] = value
        return self._by_text

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = cell_text(value)
        try:
            return self._lookup()[text.casefold()]
        except KeyError:
            raise ImportCellError(_("unknown value %(value)s") % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(self.choices(value).label)


class YesNoWidget(widgets.Widget):
    """A yes/no cell written 是/否 (or yes/no) in the active language; read
    back from either language, true/false or 1/0."""

    TRUE = {"yes", "y", "true", "1", "是", "✓"}
    FALSE = {"no", "n", "false", "0", "否"}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ImportCellError(_("write yes or no, not %(value)s") % {"value": cell_text(value)})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(_("yes") if value else _("no"))


PERMANENT = "permanent"
_RETENTION_NUMBER = re.compile(r"^(?:D)?(\d{1,3})\s*(?:年|years?)?$", re.IGNORECASE)


class RetentionWidget(widgets.Widget):
    """Retention as exported (永久, 10年, "10 years"), as a number of years or
    as the archive-number code (Y, D10). Permanent is returned as PERMANENT
    so that it differs from an empty cell (the category's default)."""

    _permanent = None

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = cell_text(value)
        if text.casefold() in self._permanent_words():
            return PERMANENT
        match = _RETENTION_NUMBER.match(text)
        if match and int(match.group(1)) > 0:
            return int(match.group(1))
        raise ImportCellError(_("unknown retention period %(value)s") % {"value": text})

    def _permanent_words(self):
        """Found once, not for each cell: two language switches a cell
        took several seconds of a 100,000-row import."""
        if self._permanent is None:
            permanent = {"y", "permanent"}
            for language in ("zh-hans", "en"):
                with override(language):
                    permanent.add(str(retention_label(None)).casefold())
            self._permanent = permanent
        return self._permanent

    def render(self, value, obj=None, **kwargs):
        return str(retention_label(value))


class ImportDateWidget(widgets.DateWidget):
    """A date cell as records.ledgers.dates.parse_ledger_date reads it
    (dates, Excel serial numbers, 2023-05-06, 2023年5月6日, 2023.5.6 …), in
    the archive's range (core.limits)."""

    def clean(self, value, row=None, **kwargs):
        # Imported here: records.ledgers.dates raises this module's ImportCellError.
        from records.ledgers.dates import parse_ledger_date

        if is_blank(value):
            return None
        return parse_ledger_date(value)


class WholeNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ImportCellError(_("not a whole number: %(value)s") % {"value": value})
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value)
        if re.fullmatch(r"\d+", text):
            return int(text)
        raise ImportCellError(_("not a whole number: %(value)s") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value


class TextWidget(widgets.Widget):
    """Text cells under the archive's one rule for stored text
    (core.text_input.clean_text): invisible marks dropped, control
    characters refused; `multiline` columns (notes) keep line breaks."""

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        try:
            return clean_text(cell_text(value), label=_("the cell"), multiline=self.multiline)
        except ValidationError as error:
            raise ImportCellError(error.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


def row_message(row, column, reason):
    """A cell's problem, its row and column named as the user sees them:
    inside a ledger wizard's import the column's letter and the file's own
    header (records.ledgers.layout.shown_column), otherwise the column's name."""
    shown = shown_column(column)
    if shown is not None:
        return _("Row %(row)d, %(column)s: %(reason)s") % {"row": row, "column": shown, "reason": reason}
    return _("Row %(row)d, column “%(column)s”: %(reason)s") % {"row": row, "column": column, "reason": reason}
