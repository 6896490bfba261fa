"""The records back office. Every page that shows records starts from
`records.selectors.visible_records`, as the portal does (R-LEND-4)."""
from records.admin.access_log import AccessLogAdmin
from records.admin.export import ColumnNameExportForm, LedgerImportExportMixin
from records.admin.file_plan import ArchiveSequenceAdmin, CategoryAdmin, LocationAdmin
from records.admin.holds import HoldAdmin
from records.admin.ledgers import LedgerTemplateAdmin, LedgerUploadAdmin
from records.admin.policy import PolicyAdmin, SingletonPolicyAdmin
from records.admin.records import AccessGrantAdmin, AttachmentAdmin, RecordAdmin
from records.admin.visibility import VisibleRecordFieldsMixin

__all__ = [
    "AccessLogAdmin",
    "AccessGrantAdmin",
    "ArchiveSequenceAdmin",
    "AttachmentAdmin",
    "CategoryAdmin",
    "ColumnNameExportForm",
    "HoldAdmin",
    "LedgerTemplateAdmin",
    "LedgerUploadAdmin",
    "LedgerImportExportMixin",
    "LocationAdmin",
    "PolicyAdmin",
    "RecordAdmin",
    "SingletonPolicyAdmin",
    "VisibleRecordFieldsMixin",
]
