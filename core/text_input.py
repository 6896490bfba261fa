"""Free text as people type, paste or import it: one rule for every title,
name, number and note the archive stores.

- Invisible format characters (Unicode category Cf: the bidi embeddings and
  overrides U+202A–U+202E, the isolates U+2066–U+2069, the marks U+200E and
  U+200F, zero-width spaces and joiners, the byte-order mark, tag
  characters) are removed without a word: they carry no meaning in an
  archive's text, and a right-to-left override makes "\\u202egnp.exe" read
  as "exe.png" in every list, register and export.
- Control characters (C0, DEL and C1) are refused with a message naming the
  field: they come from broken copy-and-paste or forged input, and NUL
  cannot be stored in PostgreSQL at all. Multi-line fields (notes,
  reasons) keep tab and line breaks; single-line fields (titles, names,
  numbers) keep none.

`clean_text` is the rule; `CleanTextFormField` applies it in forms, and
`CleanCharField` / `CleanTextField` apply it to model fields, so that
ModelForms, the back office and `full_clean` (the catalogue imports) clean
the same way.

Codes (archive numbers, box codes) are typed, pasted or scanned: a
keyboard-wedge scanner types the code and Enter (CR, LF, sometimes TAB or
a start/stop character), and a Chinese input method left in full-width
mode types ＨＴＤＬ·２０２４－０００１. `normalise_code` is the one rule
every field that takes a code applies before the lookup; `CodeFormField`
applies it in forms."""
import functools
import re
import sys
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.text import join_items

# Kept in multi-line fields; refused, like every other control, in single-line ones.
LINE_CHARACTERS = frozenset("\t\n\r\u2028\u2029")
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


@functools.cache
def _characters_of(categories):
    """A pattern matching one character of the Unicode `categories` (as this
    Python's unicodedata has them): a catalogue import cleans a million
    cells, which a regular expression does in C (a loop asking each
    character's category took a tenth of a 100,000-row import)."""
    chars = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) in categories]
    return re.compile("[" + "".join(re.escape(char) for char in chars) + "]")


def strip_invisible(text):
    """`text` without invisible format characters (category Cf)."""
    return _characters_of(frozenset({"Cf"})).sub("", text)


def control_characters(text, *, multiline=False):
    """The control characters of `text` that may not be stored, in order,
    each once."""
    found = []
    for char in _characters_of(_REFUSED_CATEGORIES).findall(text):
        if multiline and char in LINE_CHARACTERS:
            continue
        if char not in found:
            found.append(char)
    return found


def refuse_control_characters(text, *, label, multiline=False):
    """Raise ValidationError naming `label` if `text` holds a control
    character it may not hold."""
    found = control_characters(text, multiline=multiline)
    if found:
        raise ValidationError(
            _("%(field)s contains a control character (%(characters)s) that cannot be stored; remove it."),
            code="control_character",
            params={"field": capfirst(label), "characters": join_items(f"U+{ord(char):04X}" for char in found)},
        )


def clean_text(text, *, label=_("This text"), multiline=False):
    """The text to store: invisible format characters removed, control
    characters refused (ValidationError naming `label`)."""
    text = strip_invisible(text)
    refuse_control_characters(text, label=label, multiline=multiline)
    return text


def field_text(value, *, model, field, refusal, missing=None, multiline=True):
    """What a service stores in `model.field` from text a person wrote:
    invisible marks removed, stripped; refused with `refusal` (an
    ActionRefused subclass, naming the field) when it holds a control
    character, is longer than the column, or (with `missing`, the message)
    is empty."""
    model_field = model._meta.get_field(field)
    label = capfirst(model_field.verbose_name)
    try:
        value = clean_text(str(value or ""), label=label, multiline=multiline).strip()
    except ValidationError as error:
        raise refusal(" ".join(error.messages), field=field) from None
    if missing is not None and not value:
        raise refusal(missing, field=field)
    if model_field.max_length and len(value) > model_field.max_length:
        raise refusal(
            _("%(field)s: at most %(max)d characters.") % {"field": label, "max": model_field.max_length},
            field=field,
        )
    return value


class CleanTextFormField(forms.CharField):
    """A form's text field under `clean_text`; `multiline` keeps line breaks."""

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str):
            return value
        value = clean_text(value, label=self.label or _("This text"), multiline=self.multiline)
        if self.strip:
            value = value.strip()
        return self.empty_value if value in self.empty_values else value


class _CleanTextModelMixin:
    """Model text fields under `clean_text`. The column stays a plain
    CharField / TextField: deconstruct() names Django's class, so how text is
    cleaned never needs a migration."""

    multiline = False
    _django_path = None

    def to_python(self, value):
        value = super().to_python(value)
        return strip_invisible(value) if isinstance(value, str) else value

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if isinstance(value, str):
            refuse_control_characters(value, label=self.verbose_name, multiline=self.multiline)

    def formfield(self, **kwargs):
        if self.choices is not None:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": CleanTextFormField, "multiline": self.multiline, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self._django_path, args, kwargs


class CleanCharField(_CleanTextModelMixin, models.CharField):
    """A single-line text column: titles, names, numbers."""

    _django_path = "django.db.models.CharField"


class CleanLinesCharField(CleanCharField):
    """A text column of limited length that may hold line breaks: a short
    reason typed in a box."""

    multiline = True


class CleanTextField(_CleanTextModelMixin, models.TextField):
    """A multi-line text column: notes, preferences, summaries."""

    multiline = True
    _django_path = "django.db.models.TextField"


# Separators an input method or a keyboard layout types for the ones in a
# code (the default archive number pattern uses "-" and the middle dot "·",
# U+00B7). Full-width forms (－, ＿, ．) are folded by NFKC already.
_CODE_SEPARATORS = str.maketrans(
    {
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-"),
        **dict.fromkeys("\u2022\u2027\u2219\u22c5\u30fb\u0387", "\u00b7"),
    }
)
_DROPPED_IN_CODES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def normalise_code(text):
    """An archive number or a box code as the archive stores it, from what
    was typed, pasted or scanned: full-width letters, digits and spaces
    folded (NFKC), dash and middle-dot look-alikes made the ones the
    numbers use, control and invisible characters (a scanner's CR, LF, TAB
    or start/stop characters) removed, surrounding whitespace stripped.
    Letter case is kept: a pattern may say what case its letters are."""
    text = unicodedata.normalize("NFKC", text or "").translate(_CODE_SEPARATORS)
    return "".join(char for char in text if unicodedata.category(char) not in _DROPPED_IN_CODES).strip()


class CodeFormField(forms.CharField):
    """A form's field for one code (an archive number, a box code), typed
    or scanned (normalise_code)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not isinstance(value, str):
            return value
        value = normalise_code(value)
        return self.empty_value if value in self.empty_values else value
