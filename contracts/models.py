from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import SMALL_INTEGER_MAX, date_validators, range_validators
from core.pinyin import PinyinKeyField
from core.text_input import CleanCharField

from clients.models import Client
from records.models import Record


class ContractType(models.TextChoices):
    """R-SCOPE 1 / R-CONTRACT."""

    QUALIFICATION = "qualification", _("Signed under the company's qualification")
    AGENT_AGREEMENT = "agent_agreement", _("Agent agreement")
    OUTDOOR_ADVERTISING = "outdoor_advertising", _("Outdoor-advertising production contract")
    OTHER = "other", _("Other contract")


class OriginalOrCopy(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")


class ReviewResult(models.TextChoices):
    PENDING = "", _("Not reviewed")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")
    REJECTED = "rejected", _("Rejected")


class Contract(models.Model):
    """A contract is a Record plus contract facts; every contract is entered
    in the ledger (台帐, R-CONTRACT)."""

    record = models.OneToOneField(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, primary_key=True, related_name="contract"
    )
    contract_type = models.CharField(_("contract type"), max_length=30, choices=ContractType.choices)
    contract_number = CleanCharField(_("contract number"), max_length=60, unique=True)
    counterparty = models.ForeignKey(
        Client,
        verbose_name=_("counterparty (client)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    counterparty_name = CleanCharField(_("counterparty"), max_length=200)
    # A list sorted by counterparty sorts in pinyin order, as clients do (issue 15).
    counterparty_sort_key = PinyinKeyField(_("pinyin sort key"), source="counterparty_name")
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=date_validators(_("signed on")))
    starts_on = models.DateField(_("term starts"), null=True, blank=True, validators=date_validators(_("term starts")))
    ends_on = models.DateField(
        _("term ends"), null=True, blank=True, db_index=True, validators=date_validators(_("term ends"))
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("The amount cannot be negative."))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    original_or_copy = models.CharField(
        _("original or copy"), max_length=10, choices=OriginalOrCopy.choices, default=OriginalOrCopy.ORIGINAL
    )
    review_date = models.DateField(
        _("review date"), null=True, blank=True, validators=date_validators(_("review date"))
    )
    review_result = models.CharField(
        _("review result"), max_length=30, choices=ReviewResult.choices, blank=True, default=""
    )
    review_record = models.ForeignKey(
        Record,
        verbose_name=_("review papers"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_contracts",
    )
    history = HistoricalRecords(excluded_fields=["counterparty_sort_key"])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "contract_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="contract_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.contract_number} {self.counterparty_name}"


class Holder(models.TextChoices):
    """Agreements: one original with 总经办, one with 市场部 (R-CONTRACT)."""

    GENERAL_MANAGER_OFFICE = "gm_office", _("General manager's office")
    MARKETING = "marketing", _("Marketing department")
    OTHER = "other", _("Other")


class ContractHolding(models.Model):
    """Where originals or copies of a contract are held, and how many."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="holdings"
    )
    holder = models.CharField(_("holder"), max_length=20, choices=Holder.choices)
    original_or_copy = models.CharField(
        _("original or copy"), max_length=10, choices=OriginalOrCopy.choices, default=OriginalOrCopy.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(
        _("copies"), default=1, validators=range_validators(_("copies"), 1, SMALL_INTEGER_MAX)
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contract holding")
        verbose_name_plural = _("contract holdings")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "holder", "original_or_copy"], name="contract_holding_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_holder_display()} × {self.copies}"
