"""Reasons the documents services write into the history of their rows;
added to core.history's registry by DocumentsConfig.ready()."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentsReason(models.TextChoices):
    # R-SCOPE 3–4
    CORRESPONDENCE_REGISTERED = "documents_correspondence_registered", _("Document registered")
    CORRESPONDENCE_CORRECTED = "documents_correspondence_corrected", _("Register line corrected")
    CORRESPONDENCE_FILED = "documents_correspondence_filed", _("Linked to its filed record")
    # R-CTRL-1, R-CTRL-2
    MARKED_CONTROLLED = "documents_marked_controlled", _("Marked controlled and handed to the distributor")
    PAPER_ADDED = "documents_paper_added", _("Paper kept with the document")
    DISTRIBUTED = "documents_distributed", _("Copies distributed")
    COPY_ISSUED = "documents_copy_issued", _("Copy issued")
    COPY_SIGNED = "documents_copy_signed", _("Copy signed for")
    COPY_SIGNED_ON_PAPER = "documents_copy_signed_on_paper", _("Paper signature recorded")
    # R-CTRL-3, R-CTRL-4
    COPY_LOST = "documents_copy_lost", _("Copy reported lost")
    COPY_DAMAGE_REPORTED = "documents_copy_damage_reported", _("Copy reported damaged")
    COPY_REPLACED_LOST = "documents_copy_replaced_lost", _("New copy issued for a lost one")
    COPY_REPLACED_DAMAGED = "documents_copy_replaced_damaged", _("Damaged copy destroyed and replaced")
    # R-CTRL-5
    VOIDED = "documents_voided", _("Document voided")
    COPY_RECALLED = "documents_copy_recalled", _("Copy recalled")
    COPY_RETURNED = "documents_copy_returned", _("Copy returned")
    COPY_DESTROYED = "documents_copy_destroyed", _("Copy destroyed")
    COPY_KEPT_FOR_REFERENCE = "documents_copy_kept_for_reference", _("Copy kept for reference, marked void")
    COPY_RECALL_REMINDED = "documents_copy_recall_reminded", _("Holder reminded to return a recalled copy")
    LAPSED = "documents_lapsed", _("Time-limited document lapsed")
    COPY_LAPSED = "documents_copy_lapsed", _("Copy lapsed with its document")
    # R-CTRL-6
    REVISION_REQUESTED = "documents_revision_requested", _("Revision submitted for countersignature")
    REVISION_COUNTERSIGNED = "documents_revision_countersigned", _("Revision countersigned")
    REVISION_REFUSED = "documents_revision_refused", _("Revision refused")
    SUPERSEDED = "documents_superseded", _("Superseded by a distributed revision")
    # R-CTRL-7
    PURGE_PROPOSED = "documents_purge_proposed", _("Expired register lines proposed for disposal")
    PURGE_APPROVED = "documents_purge_approved", _("Disposal of expired register lines approved")
    PURGE_REFUSED = "documents_purge_refused", _("Disposal of expired register lines refused")
