from records.models.access import AccessGrant
from records.models.access_log import AccessAction, AccessLog
from records.models.attachment import Attachment
from records.models.category import Category, ScopeClass
from records.models.fixity import FixityCheck, FixityProblem
from records.models.handover import Handover, HandoverItem
from records.models.hold import Hold
from records.models.ledgers import LedgerTemplate, LedgerUpload, LedgerUploadState
from records.models.choices import Medium, RecordStatus, SecurityLevel
from records.models.location import Location, LocationKind
from records.models.ocr import OcrFailure, OcrState
from records.models.numbering import ArchiveSequence
from records.models.policy import Policy, SingletonPolicy, single_row_constraint
from records.models.record import Record
from records.models.search import SearchEntry

__all__ = [
    "AccessAction",
    "AccessLog",
    "Handover",
    "HandoverItem",
    "Hold",
    "LedgerTemplate",
    "LedgerUpload",
    "LedgerUploadState",
    "AccessGrant",
    "ArchiveSequence",
    "Attachment",
    "Category",
    "FixityCheck",
    "FixityProblem",
    "Location",
    "LocationKind",
    "Medium",
    "OcrFailure",
    "OcrState",
    "Policy",
    "Record",
    "RecordStatus",
    "ScopeClass",
    "SearchEntry",
    "SingletonPolicy",
    "SecurityLevel",
    "single_row_constraint",
]
