"""Controlled documents (受控文件, R-CTRL-1..7): the document handed to the
distributor with its approval papers, its copies (one line each in the
distribution register), downloads of the stamped electronic copies and the
purge lists that end the register's retention."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Department
from core.models import user_field
from documents.models.base import NeverDeleted
from documents.models.correspondence import Correspondence
from records.models import Record


def controlled_file_path(instance, filename):
    # The stored name never comes from the user (records.files names files
    # the same way); the original name is kept in a field.
    return f"documents/{instance.sha256[:2]}/{instance.sha256}"


class DocumentState(models.TextChoices):
    AWAITING_COUNTERSIGN = "awaiting_countersign", _("Awaiting countersignature")  # R-CTRL-6
    READY = "ready", _("Ready to distribute")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded by a revision")
    VOID = "void", _("Void")  # R-CTRL-5
    LAPSED = "lapsed", pgettext_lazy("controlled document", "Lapsed")  # R-CTRL-5: 已失效, not recalled
    COUNTERSIGN_REFUSED = "countersign_refused", _("Revision refused")


class ControlledDocument(NeverDeleted):
    """A document marked controlled by its drafting department and handed
    to the distributor (R-CTRL-1). `source_*` is the electronic original
    that stamped copies are made from; the paper original is filed as
    `record`. A revision is a new row pointing at the one it `supersedes`
    (R-CTRL-6)."""

    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("number in the year"))
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("document number"), max_length=60, blank=True)
    drafting_department = models.ForeignKey(
        Department, verbose_name=_("drafting department"), on_delete=models.PROTECT, related_name="controlled_documents"
    )
    correspondence = models.ForeignKey(
        Correspondence,
        verbose_name=_("correspondence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_documents",
    )
    record = models.ForeignKey(
        Record,
        verbose_name=_("filed original"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_documents",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("revision of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    revision_reason = models.CharField(_("reason for the revision"), max_length=300, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)  # time-limited (R-CTRL-5)
    state = models.CharField(_("state"), max_length=24, choices=DocumentState.choices, default=DocumentState.READY)
    # The electronic original (a PDF) the stamped copies are made from.
    source_file = models.FileField(_("file"), upload_to=controlled_file_path, max_length=255)
    source_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"))
    # The last copy number handed out; the row is locked while copies are
    # issued, so numbers run without gaps or duplicates (R-CTRL-2).
    last_copy_number = models.PositiveIntegerField(_("last copy number"), default=0, editable=False)
    marked_by = user_field(_("registered by"), "controlled_documents_marked", null=False)
    marked_at = models.DateTimeField(_("registered at"))
    countersigned_by = user_field(_("countersigned by"), "controlled_documents_countersigned")
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)
    countersign_note = models.CharField(_("countersignature note"), max_length=300, blank=True)
    distributed_at = models.DateTimeField(_("first distributed at"), null=True, blank=True)
    ended_by = user_field(_("voided by"), "controlled_documents_ended")
    ended_at = models.DateTimeField(_("void or lapsed at"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        ordering = ["-year", "-serial"]
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="documents_controlled_serial")]
        permissions = [
            ("countersign_revision", _("Can countersign a revision of a controlled document")),
            ("approve_register_purge", _("Can approve disposing of expired distribution register lines")),
        ]

    def __str__(self):
        return self.title

    @property
    def is_time_limited(self):
        return self.valid_until is not None


class PaperKind(models.TextChoices):
    APPROVAL = "approval", _("Approval papers")  # R-CTRL-1
    REVISION = "revision", _("Supporting papers of a revision")  # R-CTRL-6


class DocumentPaper(NeverDeleted):
    """An approval or supporting paper kept with a controlled document
    (R-CTRL-1, R-CTRL-6), checked and stored as records' attachments are."""

    document = models.ForeignKey(
        ControlledDocument, verbose_name=_("controlled document"), on_delete=models.PROTECT, related_name="papers"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PaperKind.choices)
    file = models.FileField(_("file"), upload_to=controlled_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_field(_("uploaded by"), "document_papers_uploaded", null=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document paper")
        verbose_name_plural = _("document papers")
        ordering = ["document", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class CopyState(models.TextChoices):
    ISSUED = "issued", _("Issued, not signed for")
    SIGNED = "signed", _("Signed for")
    LOST = "lost", _("Lost")  # R-CTRL-3: a new copy replaces it under a new number
    RECALLED = "recalled", _("Recalled, not yet returned")  # R-CTRL-5
    RETURNED = "returned", _("Returned")
    DESTROYED = "destroyed", _("Destroyed")
    REFERENCE = "reference", _("Kept for reference (void)")  # R-CTRL-5: stamped 作废
    LAPSED = "lapsed", pgettext_lazy("controlled document", "Lapsed")  # R-CTRL-5: 已失效, not recalled


class ControlledCopy(NeverDeleted):
    """One copy of a controlled document and its line in the distribution
    register (R-CTRL-1, R-CTRL-2): date, document, controlled number,
    recipient, signed for, remark. A lost copy keeps its line (remark
    丢失 and the date) and a new copy gets a new line (R-CTRL-3); a damaged
    copy is replaced on the same line under the same number (R-CTRL-4)."""

    document = models.ForeignKey(
        ControlledDocument, verbose_name=_("controlled document"), on_delete=models.PROTECT, related_name="copies"
    )
    copy_number = models.PositiveIntegerField(_("copy number"))
    control_number = models.CharField(_("controlled number"), max_length=60, unique=True)
    # A copy goes to a person, or to a department whose member signs for it.
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_copies_addressed",
    )
    recipient_department = models.ForeignKey(
        Department,
        verbose_name=_("recipient department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="controlled_copies",
    )
    state = models.CharField(_("state"), max_length=12, choices=CopyState.choices, default=CopyState.ISSUED)
    issued_by = user_field(_("issued by"), "controlled_copies_issued", null=False)
    issued_at = models.DateTimeField(_("issued at"))
    # Who holds the copy: the recipient, or the member of the recipient
    # department who signed for it.
    holder = user_field(_("holder"), "controlled_copies_held")
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_on_paper = models.BooleanField(_("signed on paper"), default=False)
    signature_recorded_by = user_field(_("paper signature recorded by"), "controlled_signatures_recorded")
    remark = models.TextField(_("remark"), blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces lost copy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    times_replaced = models.PositiveSmallIntegerField(_("times replaced after damage"), default=0)
    lost_on = models.DateField(_("lost on"), null=True, blank=True)
    # A holder's report of damage the archivist has not yet acted on (R-CTRL-4).
    damage_reported_at = models.DateTimeField(_("damage reported at"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = user_field(_("returned to"), "controlled_copies_taken_back")
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    destroyed_by = user_field(_("destroyed by"), "controlled_copies_destroyed")
    purge = models.ForeignKey(
        "RegisterPurge",
        verbose_name=_("disposed of by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("controlled copy")
        verbose_name_plural = _("controlled copies")
        ordering = ["document", "copy_number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "copy_number"], name="documents_copy_number_once"),
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False) | models.Q(recipient_department__isnull=False),
                name="documents_copy_has_recipient",
            ),
        ]

    def __str__(self):
        return self.control_number


class CopyDownload(models.Model):
    """Every download of a stamped copy (R-CTRL-2): who, when. Append-only,
    written once and never changed, so it keeps no history of its own."""

    copy = models.ForeignKey(
        ControlledCopy, verbose_name=_("controlled copy"), on_delete=models.PROTECT, related_name="downloads"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="copy_downloads"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    as_reference = models.BooleanField(_("reference copy (void)"), default=False)

    class Meta:
        verbose_name = _("copy download")
        verbose_name_plural = _("copy downloads")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.copy} · {self.at:%Y-%m-%d %H:%M}"


class PurgeState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the head's approval")
    APPROVED = "approved", _("Approved, disposed of")
    REFUSED = "refused", _("Refused")


class RegisterPurge(NeverDeleted):
    """A list of distribution register lines past their retention (R-CTRL-7)
    that the archivist proposes and the department head approves; approved
    lines leave the register views but stay in the database as the purge
    list's tombstone (nothing is deleted silently)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=PurgeState.choices, default=PurgeState.PROPOSED)
    # The lines proposed; `ControlledCopy.purge` is set only on approval.
    proposed_lines = models.ManyToManyField(
        ControlledCopy, verbose_name=_("register lines"), related_name="purges_proposed"
    )
    proposed_by = user_field(_("proposed by"), "register_purges_proposed", null=False)
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = user_field(_("decided by"), "register_purges_decided")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("register purge list")
        verbose_name_plural = _("register purge lists")
        ordering = ["-proposed_at"]

    def __str__(self):
        return self.number
