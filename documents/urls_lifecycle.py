"""The lifecycle screens of controlled documents (documents.views.lifecycle,
revisions, retention): void and recall (R-CTRL-5), revision and
countersignature (R-CTRL-6), register retention (R-CTRL-7)."""
from django.urls import path

from documents.views import lifecycle, retention, revisions

urlpatterns = [
    path("controlled/<int:pk>/void/", lifecycle.document_void, name="documents_void"),
    path("recalls/", lifecycle.recall_list, name="documents_recalls"),
    path("controlled/<int:pk>/remind/", lifecycle.recall_remind, name="documents_recall_remind"),
    path("copies/<int:pk>/return/", lifecycle.copy_return, name="documents_copy_return"),
    path("copies/<int:pk>/destroy/", lifecycle.copy_destroy, name="documents_copy_destroy"),
    path("copies/<int:pk>/keep/", lifecycle.copy_keep_reference, name="documents_copy_keep_reference"),
    path("controlled/<int:pk>/revise/", revisions.document_revise, name="documents_revise"),
    path("controlled/<int:pk>/countersign/", revisions.document_countersign, name="documents_countersign"),
    path("retention/", retention.retention_index, name="documents_retention"),
    path("purges/<int:pk>/", retention.purge_detail, name="documents_purge_detail"),
]
