from documents.models.base import DocumentsDeletionRefused
from documents.models.controlled import (
    ControlledCopy,
    ControlledDocument,
    CopyDownload,
    CopyState,
    DocumentPaper,
    DocumentState,
    PaperKind,
    PurgeState,
    RegisterPurge,
)
from documents.models.correspondence import Correspondence, Direction, DocumentCounter, Urgency
from documents.models.policy import DocumentsPolicy

__all__ = [
    "ControlledCopy",
    "ControlledDocument",
    "CopyDownload",
    "CopyState",
    "Correspondence",
    "Direction",
    "DocumentCounter",
    "DocumentPaper",
    "DocumentState",
    "DocumentsDeletionRefused",
    "DocumentsPolicy",
    "PaperKind",
    "PurgeState",
    "RegisterPurge",
    "Urgency",
]
