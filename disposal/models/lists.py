from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core import models as core_models
from core.models import DeletionRefused, user_field
from core.text_input import CleanLinesCharField, CleanTextField


class DisposalDeletionRefused(DeletionRefused):
    """Disposal lists, their items, destructions and witnesses are evidence
    (R-DISP-3): they are never deleted."""


class NeverDeleted(core_models.NeverDeleted):
    """Base of every disposal model: no delete, neither of one row nor of a
    queryset."""

    deletion_refused = DisposalDeletionRefused
    deletion_message = "Disposal rows are never deleted."

    class Meta:
        abstract = True


class ListKind(models.TextChoices):
    # R-DISP-2: the year-end list of what is past its retention.
    APPRAISAL = "appraisal", _("Appraisal and disposal list")
    # R-DISP-1: material of no lasting value, weeded while arranging.
    WEEDING = "weeding", _("Weeding list")


class ListState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting the department head")
    # Then leadership signs if the list destroys anything; otherwise it
    # waits for execution (transfers) or is done.
    HEAD_APPROVED = "head_approved", _("Approved by the department head")
    LEADERSHIP_APPROVED = "leadership_approved", _("Approved by leadership, awaiting execution")
    EXECUTED = "executed", _("Executed")
    # Sent back to the drafter (退回), not a loan brought back (归还).
    RETURNED = "returned", pgettext_lazy("disposal list", "Returned")

    @classmethod
    def editable(cls):
        """States in which the drafter changes the list."""
        return [cls.DRAFT, cls.RETURNED]


class ListCounter(models.Model):
    """The last list number handed out in a calendar year (XH-2026-0001...).
    The row is locked and incremented in the transaction that creates the
    list, so a rolled-back creation returns its number: no gaps. Like
    records.ArchiveSequence it keeps no history: the lists it numbers do."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("disposal list counter")
        verbose_name_plural = _("disposal list counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class DisposalList(NeverDeleted):
    """A numbered list (清册) of records proposed for weeding (R-DISP-1) or
    for destruction, extension, permanent keeping or transfer at the year
    end (R-DISP-2), with its signatures. It changes only through
    disposal.services; who may do what is in disposal.policies."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ListKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The appraisal year: records whose retention ends by 31 December of it are due.")
    )
    opinion = CleanTextField(_("appraisal opinion"), blank=True)
    state = models.CharField(_("state"), max_length=30, choices=ListState.choices, default=ListState.DRAFT)
    drafted_by = user_field(_("drafted by"), "disposal_lists_drafted", null=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    head_approved_by = user_field(_("approved by the department head"), "disposal_lists_head_approved")
    head_approved_at = models.DateTimeField(_("approved by the department head at"), null=True, blank=True)
    leadership_approved_by = user_field(_("approved by leadership"), "disposal_lists_leadership_approved")
    leadership_approved_at = models.DateTimeField(_("approved by leadership at"), null=True, blank=True)
    returned_by = user_field(_("returned by"), "disposal_lists_returned")
    returned_at = models.DateTimeField(pgettext_lazy("disposal list", "returned at"), null=True, blank=True)
    return_reason = CleanLinesCharField(_("reason for return"), max_length=300, blank=True)
    executed_by = user_field(_("executed by"), "disposal_lists_executed")
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disposal list")
        verbose_name_plural = _("disposal lists")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "kind"], name="disposal_list_state_kind")]

    def __str__(self):
        return self.number

    @property
    def is_editable(self):
        return self.state in ListState.editable()
