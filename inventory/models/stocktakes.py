from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text_input import CleanLinesCharField
from records.models import Location, Record

from core.models import user_field
from inventory.models.base import NeverDeleted


class StocktakeState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class StocktakeCounter(models.Model):
    """The last stocktake number handed out in a calendar year
    (PD-2026-0001...). Locked and incremented in the transaction that opens
    the stocktake, so a rolled-back opening returns its number: no gaps.
    It keeps no history: the stocktakes it numbers do."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("stocktake counter")
        verbose_name_plural = _("stocktake counters")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Stocktake(NeverDeleted):
    """A stocktake (盘点) of the whole archive or of chosen rooms, cabinets,
    shelves or boxes for a year, reconciling the ledger with the shelves
    box by box (R-INV-1). It changes only through inventory.services."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    whole_archive = models.BooleanField(_("whole archive"), default=False)
    # What was chosen; the boxes counted are the units.
    scope = models.ManyToManyField(
        Location, verbose_name=_("scope"), blank=True, related_name="stocktakes"
    )
    state = models.CharField(_("state"), max_length=10, choices=StocktakeState.choices, default=StocktakeState.OPEN)
    opened_by = user_field(_("opened by"), "stocktakes_opened", null=False)
    opened_at = models.DateTimeField(_("opened at"))
    closed_by = user_field(_("closed by"), "stocktakes_closed")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-year", "-number"]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.state == StocktakeState.OPEN


class StocktakeUnit(NeverDeleted):
    """One box of a stocktake (the storage unit counted, R-INV-1). A box
    is in at most one open stocktake at a time: `is_open` is true until
    the stocktake closes, and the constraint inventory_unit_one_open_per_box
    holds it in the database."""

    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("stocktake"), on_delete=models.PROTECT, related_name="units"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("box"), on_delete=models.PROTECT, related_name="stocktake_units"
    )
    is_open = models.BooleanField(_("open"), default=True)
    counted_by = user_field(_("counted by"), "stocktake_units_counted")
    counted_at = models.DateTimeField(_("marked counted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stocktake box")
        verbose_name_plural = _("stocktake boxes")
        ordering = ["stocktake", "location__full_code"]
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "location"], name="inventory_unit_once_per_stocktake"),
            models.UniqueConstraint(
                fields=["location"], condition=models.Q(is_open=True), name="inventory_unit_one_open_per_box"
            ),
        ]

    def __str__(self):
        return f"{self.stocktake} · {self.location.full_code}"


class ExpectedStatus(models.TextChoices):
    ON_SHELF = "on_shelf", _("On the shelf")
    ON_LOAN = "on_loan", _("On loan")
    MISSING = "missing", _("Missing")


class Expected(models.Model):
    """What the ledger said a box held when the stocktake opened (R-INV-1):
    one row per record on the books. Written once with bulk_create and never
    changed, so it keeps no history: the snapshot is its own record; what
    changed since is read by comparing it with the records now."""

    unit = models.ForeignKey(
        StocktakeUnit, verbose_name=_("stocktake box"), on_delete=models.PROTECT, related_name="expected"
    )
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="stocktake_expected"
    )
    status_at_opening = models.CharField(_("status at opening"), max_length=10, choices=ExpectedStatus.choices)

    class Meta:
        verbose_name = _("expected record")
        verbose_name_plural = _("expected records")
        constraints = [
            models.UniqueConstraint(fields=["unit", "record"], name="inventory_expected_once_per_unit"),
        ]
        indexes = [models.Index(fields=["record", "unit"], name="inventory_expected_record")]

    def __str__(self):
        return f"{self.unit} · {self.record_id}"


class ScanOutcome(models.TextChoices):
    FOUND = "found", _("Found here")
    MISPLACED = "misplaced", _("Belongs in another box")
    EXTRA = "extra", _("Not on the books")
    ALREADY_COUNTED = "already_counted", _("Already counted")
    ON_LOAN = "on_loan", _("On loan per the register")
    STRUCK_OFF = "struck_off", _("Destroyed, written off or transferred")
    UNKNOWN = "unknown", _("Unknown code")
    # Shown to the scanner as UNKNOWN: they may not know the record exists.
    NOT_VISIBLE = "not_visible", _("Not visible to the scanner")

    @classmethod
    def counting(cls):
        """Outcomes that count the record as seen in this stocktake."""
        return [cls.FOUND, cls.MISPLACED, cls.EXTRA, cls.ON_LOAN]


class Condition(models.TextChoices):
    OK = "ok", _("Good")
    DAMAGED = "damaged", _("Damaged")
    DECAYING = "decaying", _("Decaying")


class Scan(NeverDeleted):
    """One code typed or scanned into a box of a stocktake, with what it
    answered. Append-only: two people counting the same box both keep
    every scan. `stocktake` repeats the unit's for the indexed look-up
    "was this record already counted in this stocktake".

    No history table: a scan is written once and never changed, and it
    names who scanned (`by`) and when (`at`) itself, so a history row would
    only repeat it, at one more insert a scan (issue 13 asks for 200 scans
    a second; the table is its own log)."""

    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("stocktake"), on_delete=models.PROTECT, related_name="scans"
    )
    unit = models.ForeignKey(StocktakeUnit, verbose_name=_("stocktake box"), on_delete=models.PROTECT, related_name="scans")
    code = models.CharField(_("code"), max_length=100)
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="stocktake_scans",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=ScanOutcome.choices)
    belongs_in = models.ForeignKey(
        Location, verbose_name=_("belongs in"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.OK)
    note = CleanLinesCharField(_("note"), max_length=300, blank=True)
    by = user_field(_("scanned by"), "stocktake_scans", null=False)
    at = models.DateTimeField(_("scanned at"))

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["stocktake", "record", "outcome"], name="inventory_scan_record"),
            models.Index(fields=["unit", "outcome"], name="inventory_scan_unit"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.code} · {self.get_outcome_display()}"

    @property
    def shown_outcome(self):
        """What the scanner is told: a record they may not see is unknown."""
        return ScanOutcome.UNKNOWN if self.outcome == ScanOutcome.NOT_VISIBLE else self.outcome
