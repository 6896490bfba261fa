"""The documents app's policy values, changed by the department head in the
back office like every other policy (records.models.SingletonPolicy)."""
import string

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import join_items
from records.models import SingletonPolicy, single_row_constraint

CORRESPONDENCE_NUMBER_FIELDS = {"year", "number"}
CONTROL_NUMBER_FIELDS = {"year", "document", "copy"}


def _check_pattern(pattern, allowed, required, sample):
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        raise ValidationError(_("The pattern is not well formed.")) from None
    unknown = names - allowed
    if unknown:
        raise ValidationError(
            _("Unknown field(s) in the pattern: %(fields)s. Allowed: %(allowed)s")
            % {"fields": join_items(sorted(unknown)), "allowed": join_items(sorted(allowed))}
        )
    missing = required - names
    if missing:
        raise ValidationError(
            _("The pattern must contain %(fields)s, or numbers would not be unique.")
            % {"fields": join_items(sorted("{%s}" % name for name in missing))}
        )
    try:
        pattern.format(**sample)
    except (ValueError, KeyError, IndexError):
        raise ValidationError(_("The pattern is not well formed.")) from None


def validate_correspondence_pattern(pattern):
    _check_pattern(pattern, CORRESPONDENCE_NUMBER_FIELDS, CORRESPONDENCE_NUMBER_FIELDS, {"year": 2026, "number": 1})


def validate_control_number_pattern(pattern):
    _check_pattern(pattern, CONTROL_NUMBER_FIELDS, CONTROL_NUMBER_FIELDS, {"year": 2026, "document": 1, "copy": 1})


class DocumentsPolicy(SingletonPolicy):
    """How document numbers and controlled numbers are made (R-SCOPE 3–4,
    R-CTRL-2), how long the distribution register is kept (R-CTRL-7) and
    how often outstanding recalls are reminded (R-CTRL-5)."""

    outgoing_number_pattern = models.CharField(
        _("outgoing document number pattern"),
        max_length=60,
        default="市场发〔{year}〕{number}号",
        validators=[validate_correspondence_pattern],
        help_text=_("Fields: {year}, {number}. Numbers run per year without gaps."),
    )
    incoming_number_pattern = models.CharField(
        _("incoming document number pattern"),
        max_length=60,
        default="市场收〔{year}〕{number}号",
        validators=[validate_correspondence_pattern],
        help_text=_("Fields: {year}, {number}. Numbers run per year without gaps."),
    )
    control_number_pattern = models.CharField(
        _("controlled number pattern"),
        max_length=60,
        default="SK-{year}-{document:03d}-{copy:02d}",
        validators=[validate_control_number_pattern],
        help_text=_("Fields: {year}, {document} (the document's number in its year), {copy} (the copy's number)."),
    )
    # R-CTRL-7
    register_retention_after_void_years = models.PositiveSmallIntegerField(
        _("register kept after voiding (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How long the distribution register of a voided document is kept."),
    )
    register_retention_after_lapse_years = models.PositiveSmallIntegerField(
        _("register kept after a time-limited document lapses (years)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How long the distribution register of a lapsed time-limited document is kept."),
    )
    # R-CTRL-5
    recall_reminder_days = models.PositiveSmallIntegerField(
        _("remind outstanding recalls every (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Holders of a voided document's copies not yet returned are reminded this often."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("controlled document policy")
        verbose_name_plural = _("controlled document policy")
        constraints = [single_row_constraint("documents_policy_single_row")]

    def __str__(self):
        return str(_("Controlled document policy"))
