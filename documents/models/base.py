from core import models as core_models
from core.models import DeletionRefused


class DocumentsDeletionRefused(DeletionRefused):
    """Correspondence registers, controlled documents, their copies and the
    distribution register are evidence (R-CTRL-1..7): never deleted; an
    expired register line is disposed of through an approved purge list."""


class NeverDeleted(core_models.NeverDeleted):
    deletion_refused = DocumentsDeletionRefused
    deletion_message = "Document register rows are never deleted."

    class Meta:
        abstract = True
