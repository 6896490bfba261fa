"""Reasons the disposal services write into the history of lists, items,
destructions and witnesses; added to core.history's registry by
DisposalConfig.ready(). What happens to a record itself is written by
records.services.disposition with records' own reasons."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisposalReason(models.TextChoices):
    LIST_DRAFTED = "disposal_list_drafted", _("Disposal list drafted")
    LIST_EDITED = "disposal_list_edited", _("Appraisal opinion changed")
    LIST_SUBMITTED = "disposal_list_submitted", _("Submitted for approval")
    # R-DISP-1, R-DISP-2
    LIST_HEAD_APPROVED = "disposal_list_head_approved", _("Approved by the department head")
    # R-DISP-2: destruction only after leadership's approval.
    LIST_LEADERSHIP_APPROVED = "disposal_list_leadership_approved", _("Approved by leadership")
    LIST_RETURNED = "disposal_list_returned", _("Returned to the drafter")
    # R-DISP-3
    LIST_EXECUTED = "disposal_list_executed", _("Executed")
    ITEM_LISTED = "disposal_item_listed", _("Listed")
    ITEM_CHANGED = "disposal_item_changed", _("Proposal changed")
    ITEM_STRUCK = "disposal_item_struck", _("Struck off the list")
    ITEM_CARRIED_OUT = "disposal_item_carried_out", _("Carried out")
    DESTRUCTION_RECORDED = "disposal_destruction_recorded", _("Destruction recorded")
    WITNESS_NAMED = "disposal_witness_named", _("Named as witness")
    WITNESS_REPLACED = "disposal_witness_replaced", _("Witness replaced")
    WITNESS_CONFIRMED = "disposal_witness_confirmed", _("Confirmed by the witness")
    WITNESS_RESET = "disposal_witness_reset", _("Confirmation withdrawn: the list or the destruction changed")
