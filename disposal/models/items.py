from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import range_validators
from core.text_input import CleanCharField, CleanLinesCharField
from records.models import Record
from records.models.choices import MAX_RETENTION_YEARS

from disposal.models.lists import DisposalList, NeverDeleted


class ItemAction(models.TextChoices):
    """What a list proposes for a record. Weeding lists weed (R-DISP-1);
    appraisal lists destroy, extend, keep permanently or transfer out
    (R-DISP-2)."""

    WEED = "weed", _("Weed out")
    DESTROY = "destroy", _("Destroy")
    EXTEND = "extend", _("Extend retention")
    KEEP_PERMANENTLY = "keep_permanently", _("Keep permanently")
    TRANSFER = "transfer", _("Transfer out")

    @classmethod
    def striking_off(cls):
        """Actions after which the record has left the books."""
        return [cls.DESTROY, cls.TRANSFER]

    @classmethod
    def at_head_approval(cls):
        """Actions that take effect when the department head approves."""
        return [cls.WEED, cls.EXTEND, cls.KEEP_PERMANENTLY]


class ListItem(NeverDeleted):
    """One record on a list with what is proposed for it. Struck off with a
    reason by the drafter or an approver; carried out when the head
    approves (weed, extend, keep) or at execution (destroy, transfer). A
    record is on at most one open item at a time (not struck off, not
    carried out): the services check it under the record's lock, the
    constraint disposal_item_one_open_per_record guards it too."""

    disposal_list = models.ForeignKey(
        DisposalList, verbose_name=_("disposal list"), on_delete=models.PROTECT, related_name="items"
    )
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="disposal_items"
    )
    action = models.CharField(_("proposal"), max_length=20, choices=ItemAction.choices)
    extend_years = models.PositiveSmallIntegerField(
        _("extend by (years)"),
        null=True,
        blank=True,
        validators=range_validators(_("extend by (years)"), 1, MAX_RETENTION_YEARS),
    )
    receiving_body = CleanCharField(_("receiving body"), max_length=200, blank=True)
    reason = CleanLinesCharField(_("reason"), max_length=300, blank=True)
    opinion = CleanLinesCharField(_("appraisal opinion"), max_length=300, blank=True)
    # What the record was when it was listed: a record changed since
    # (lent, corrected, its retention or state changed) is refused at every
    # later step until it is struck off or listed again.
    listed_status = models.CharField(_("status when listed"), max_length=20)
    listed_record_updated_at = models.DateTimeField(_("record last changed when listed"))
    listed_at = models.DateTimeField(_("listed at"))
    struck_off = models.BooleanField(_("struck off"), default=False)
    struck_reason = CleanLinesCharField(_("reason for striking off"), max_length=300, blank=True)
    struck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("struck off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disposal_items_struck",
    )
    struck_at = models.DateTimeField(_("struck off at"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list item")
        verbose_name_plural = _("list items")
        ordering = ["disposal_list", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["disposal_list", "record"], name="disposal_item_once_per_list"),
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(struck_off=False, carried_out_at__isnull=True),
                name="disposal_item_one_open_per_record",
            ),
            models.CheckConstraint(
                condition=models.Q(struck_off=False) | models.Q(carried_out_at__isnull=True),
                name="disposal_item_struck_not_carried_out",
            ),
        ]

    def __str__(self):
        return f"{self.disposal_list} · {self.record.archive_number}"

    @property
    def is_live(self):
        """Still proposed and not yet carried out."""
        return not self.struck_off and self.carried_out_at is None
