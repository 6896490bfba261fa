"""Lending's policy values, requests to view or borrow records, their
approvals, loans, extensions and incidents (R-LEND-1..6, R-ACCESS). Rules
live in lending/policies.py, state changes in lending/services/."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models import Record, SingletonPolicy, single_row_constraint


class LendingPolicy(SingletonPolicy):
    """Lending's own policy values, changed by the department head in the
    back office (records.admin.SingletonPolicyAdmin); read through
    LendingPolicy.current() by lending.policies, forms and services."""

    # R-LEND-2: staff borrow for two days without the head's signature.
    loan_period_days = models.PositiveSmallIntegerField(
        _("loan period (days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Department staff borrow for at most this long without the head's approval."),
    )
    # R-LEND-4: an approved view of a confidential record opens it for a while.
    view_grant_hours = models.PositiveSmallIntegerField(
        _("viewing grant (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        help_text=_("How long an approved request to view a confidential record opens it."),
    )
    # R-LEND-2: the limit of every loan and extension, whoever signs.
    max_loan_days = models.PositiveSmallIntegerField(
        _("longest loan with approval (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("No loan or extension goes beyond this, whoever approves it."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lending policy")
        verbose_name_plural = _("lending policy")
        constraints = [single_row_constraint("lendingpolicy_single_row")]

    def __str__(self):
        return str(_("Lending policy"))


class RequestKind(models.TextChoices):
    VIEW = "view", _("View in place")  # 查阅
    BORROW = "borrow", _("Borrow")  # 借出


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved, waiting for the archivist")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
    OUT = "out", _("Handed out")
    DONE = "done", _("Closed")


class ApprovalStep(models.TextChoices):
    """Who must sign, and why (lending.policies.required_approvals)."""

    ARCHIVE_HEAD = "archive_head", _("Head of the archive's department")
    BORROWER_HEAD = "borrower_head", _("Head of the borrower's department")


class LoanRequest(models.Model):
    """借阅申请: a person asks to view or borrow one record."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="loan_requests"
    )
    record = models.ForeignKey(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="loan_requests")
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    days = models.PositiveSmallIntegerField(_("days"), help_text=_("How long the record is needed."))
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan request")
        verbose_name_plural = _("loan requests")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_loan", _("Can approve requests as head of the archive's department")),
            ("handle_loan", _("Can hand out and take back records")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.record} · {self.requester}"


class Approval(models.Model):
    """One signature on a request (the IOU's 借条 lines), or a refusal."""

    request = models.ForeignKey(
        LoanRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="approvals"
    )
    step = models.CharField(_("step"), max_length=20, choices=ApprovalStep.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="approvals"
    )
    approved = models.BooleanField(_("approved"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "step"], name="one_signature_per_step"),
        ]

    def __str__(self):
        return f"{self.get_step_display()}: {self.approver}"


class Loan(models.Model):
    """The archivist hands a record out and takes it back (R-LEND-1); the
    return is checked for completeness (R-LEND-6)."""

    request = models.OneToOneField(
        LoanRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="loan"
    )
    record = models.ForeignKey(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed out by"), on_delete=models.PROTECT, related_name="+"
    )
    out_at = models.DateTimeField(_("handed out at"))
    due_at = models.DateTimeField(_("due"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    taken_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken back by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pages_returned = models.PositiveIntegerField(_("pages returned"), null=True, blank=True)
    copies_returned = models.PositiveSmallIntegerField(_("copies returned"), null=True, blank=True)
    damaged = models.BooleanField(_("damaged"), default=False)
    condition_notes = models.CharField(_("condition"), max_length=300, blank=True)
    # The archivist's last 催还 of an overdue loan: at most one a day.
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-out_at", "-pk"]
        constraints = [
            # A paper record cannot be out twice (R-LEND-1): the database
            # refuses a second open loan even when requests race.
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(returned_at__isnull=True), name="one_open_loan_per_record"
            ),
        ]
        indexes = [models.Index(fields=["due_at"], name="loan_due")]

    def __str__(self):
        return f"{self.record} → {self.borrower}"

    @property
    def is_open(self):
        return self.returned_at is None


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    """A longer loan needs the department head's signature (R-LEND-2)."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    new_due_at = models.DateTimeField(_("new due date"))
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(_("state"), max_length=20, choices=ExtensionState.choices, default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.CharField(_("decision reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.loan} → {self.new_due_at:%Y-%m-%d}"


class IncidentKind(models.TextChoices):
    LATE = "late", _("Returned late")
    DAMAGED = "damaged", _("Damaged")
    LOST = "lost", _("Lost")


class Incident(models.Model):
    """Late return, damage or loss, with the borrower accountable (R-LEND-5).
    Shown on the borrower's and the record's page until resolved."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="incidents")
    record = models.ForeignKey(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="incidents")
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    description = models.TextField(_("description"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.record}"


class ReminderKind(models.TextChoices):
    DUE_TOMORROW = "due_tomorrow", _("Due tomorrow")
    OVERDUE = "overdue", _("Overdue")


class ReminderSent(models.Model):
    """Makes the reminder command idempotent per loan, kind and day."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    day = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["loan", "kind", "day"], name="one_reminder_per_day")]

    def __str__(self):
        return f"{self.loan} {self.kind} {self.day}"
