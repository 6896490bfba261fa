import contextvars
import string

from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import join_items

ARCHIVE_NUMBER_FIELDS = {"fonds", "category", "year", "retention", "unit", "item"}
DEFAULT_ARCHIVE_NUMBER_PATTERN = "{fonds}-{category}·{year}-{retention}-{unit}-{item:04d}"


def validate_archive_number_pattern(pattern):
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise ValidationError(_("The pattern is not well formed: %(error)s") % {"error": exc}) from None
    unknown = names - ARCHIVE_NUMBER_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown field(s) in the pattern: %(fields)s. Allowed: %(allowed)s")
            % {"fields": join_items(sorted(unknown)), "allowed": join_items(sorted(ARCHIVE_NUMBER_FIELDS))}
        )
    if "item" not in names:
        raise ValidationError(_("The pattern must contain {item}, or numbers would not be unique."))
    try:
        pattern.format(fonds="F", category="C", year=2024, retention="Y", unit="U", item=1)
    except (ValueError, KeyError, IndexError) as exc:
        raise ValidationError(_("The pattern is not well formed: %(error)s") % {"error": exc}) from None


# The policy rows read during the current web request, by class: a page asks
# for the values in force many times (every panel, every rule), the row is
# read once. Outside a request (commands, background jobs) nothing is kept,
# so a long-running worker always reads the values in force.
_read_in_request = contextvars.ContextVar("policy_rows_read_in_request", default=None)


def _request_started(**kwargs):
    _read_in_request.set({})


def _request_finished(**kwargs):
    _read_in_request.set(None)


request_started.connect(_request_started, dispatch_uid="records.policy.request_started")
request_finished.connect(_request_finished, dispatch_uid="records.policy.request_finished")


class SingletonPolicy(models.Model):
    """Policy values of one app that the department head changes in the back
    office: one row (pk 1), history like any other change. Each app keeps
    its own values in its own subclass (records: archive numbers; lending:
    loan periods; clients: review interval), with a check constraint made by
    `single_row_constraint`; records.admin.SingletonPolicyAdmin edits it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        read = _read_in_request.get()
        if read is not None:
            read.pop(type(self), None)

    @classmethod
    def current(cls):
        """The values in force; the row is made with the defaults when
        missing. Read once per web request (the same instance after that)."""
        read = _read_in_request.get()
        if read is not None and cls in read:
            return read[cls]
        policy, _created = cls.objects.get_or_create(pk=1)
        if read is not None:
            read[cls] = policy
        return policy


def single_row_constraint(name):
    return models.CheckConstraint(condition=models.Q(id=1), name=name)


class Policy(SingletonPolicy):
    """The archive's own policy values: how archive numbers are made (R-FILE-5).
    Lending and client files keep theirs in their own apps."""

    fonds_code = models.CharField(_("fonds code"), max_length=20, default="J001")
    unit_code = models.CharField(_("unit code"), max_length=20, default="SCB")
    archive_number_pattern = models.CharField(
        _("archive number pattern"),
        max_length=120,
        default=DEFAULT_ARCHIVE_NUMBER_PATTERN,
        validators=[validate_archive_number_pattern],
        help_text=_(
            "Fields: {fonds}, {category}, {year}, {retention}, {unit}, {item:04d}. "
            # R-FILE-5
            "Default after DA/T 22-2015: fonds-category·year-retention-unit-item."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policy")
        constraints = [single_row_constraint("policy_single_row")]

    def __str__(self):
        return str(_("Archive policy"))

