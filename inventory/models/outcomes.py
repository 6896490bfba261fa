from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text_input import CleanLinesCharField
from records.models import Attachment, Location, Record

from core.models import user_field
from inventory.models.base import NeverDeleted
from inventory.models.stocktakes import Scan, Stocktake, StocktakeUnit


class DifferenceKind(models.TextChoices):
    MISSING = "missing", _("Missing")
    MISPLACED = "misplaced", _("Misplaced")
    EXTRA = "extra", _("Not on the books")
    ON_LOAN = "on_loan", _("On the shelf but on loan per the register")
    DAMAGED = "damaged", _("Damaged or decaying")
    # Missing per the register, counted on a shelf: it is filed again.
    TURNED_UP = "turned_up", _("Missing per the register, found")


class Resolution(models.TextChoices):
    MOVED = "moved", _("Moved (location corrected)")
    MARKED_MISSING = "marked_missing", _("Marked missing")
    WRITE_OFF_OPENED = "write_off_opened", _("Write-off requested")
    FILED_EXTRA = "filed_extra", _("Filed into this box")
    REPAIR_OPENED = "repair_opened", _("Repair or copy task opened")
    RESTORED = "restored", _("Filed again")
    ACCEPTED = "accepted", _("Accepted with a note")


class Difference(NeverDeleted):
    """How one difference between the ledger and the shelves (R-INV-1) was
    resolved: the record, what differed (kind), in which box, and what was
    done about it. A difference the reconciliation finds without a row
    here is unresolved; a stocktake closes only when none is."""

    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("stocktake"), on_delete=models.PROTECT, related_name="differences"
    )
    unit = models.ForeignKey(
        StocktakeUnit, verbose_name=_("stocktake box"), on_delete=models.PROTECT, related_name="differences"
    )
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="stocktake_differences"
    )
    kind = models.CharField(_("difference"), max_length=20, choices=DifferenceKind.choices)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices)
    note = CleanLinesCharField(_("note"), max_length=300, blank=True)
    resolved_by = user_field(_("resolved by"), "stocktake_differences_resolved", null=False)
    resolved_at = models.DateTimeField(_("resolved at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stocktake difference")
        verbose_name_plural = _("stocktake differences")
        ordering = ["stocktake", "unit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "record", "kind"], name="inventory_difference_once"),
        ]

    def __str__(self):
        return f"{self.stocktake} · {self.record.archive_number} · {self.get_kind_display()}"


class WriteOffKind(models.TextChoices):
    # R-INV-3: transfer, void, loss.
    TRANSFER = "transfer", _("Transfer")
    VOID = "void", _("Void")
    LOSS = "loss", _("Loss")


class WriteOffState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the department head")
    APPROVED = "approved", _("Approved, written off")
    REFUSED = "refused", _("Refused")


class WriteOff(NeverDeleted):
    """Striking a record off the books (核销) for transfer, void or loss,
    with the reason and the evidence kept (R-INV-3): requested by the
    archivist, approved by the department head (never the requester),
    then the record is WRITTEN_OFF through records.services."""

    record = models.ForeignKey(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="write_offs")
    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("stocktake"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="write_offs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=WriteOffKind.choices)
    reason = CleanLinesCharField(_("reason"), max_length=300)
    # The record's own files, uploaded through records' attachment rules.
    evidence = models.ManyToManyField(
        Attachment, verbose_name=_("evidence"), blank=True, related_name="write_offs"
    )
    state = models.CharField(_("state"), max_length=20, choices=WriteOffState.choices, default=WriteOffState.REQUESTED)
    requested_by = user_field(_("requested by"), "write_offs_requested", null=False)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = user_field(_("decided by"), "write_offs_decided")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = CleanLinesCharField(_("reason for refusal"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_writeoff", _("Can approve write-offs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(state="requested"), name="inventory_write_off_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.record.archive_number} · {self.get_kind_display()}"


class RepairKind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    COPY = "copy", _("Make a copy")


class RepairState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class RepairTask(NeverDeleted):
    """A damaged or decaying item repaired or copied at once (R-INV-2):
    opened with a due date, done with a note; a copy made raises the
    record's copy count through records.services."""

    record = models.ForeignKey(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="repair_tasks")
    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("stocktake"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="repair_tasks",
    )
    scan = models.ForeignKey(
        Scan, verbose_name=_("scan"), on_delete=models.PROTECT, null=True, blank=True, related_name="repair_tasks"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RepairKind.choices)
    due_on = models.DateField(_("due on"))
    note = CleanLinesCharField(_("note"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RepairState.choices, default=RepairState.OPEN)
    opened_by = user_field(_("opened by"), "repair_tasks_opened", null=False)
    opened_at = models.DateTimeField(_("opened at"))
    done_by = user_field(_("done by"), "repair_tasks_done")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = CleanLinesCharField(_("note when done"), max_length=300, blank=True)
    copies_made = models.PositiveSmallIntegerField(_("copies made"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("repair or copy task")
        verbose_name_plural = _("repair and copy tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="inventory_repair_open_due")]

    def __str__(self):
        return f"{self.record.archive_number} · {self.get_kind_display()}"
