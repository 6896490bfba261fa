from django.urls import path

from records.views import attachments

urlpatterns = [
    path("attachments/<int:pk>/download/", attachments.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/preview/", attachments.attachment_preview, name="attachment_preview"),
    path("attachments/<int:pk>/thumbnail/", attachments.attachment_thumbnail, name="attachment_thumbnail"),
    path("attachments/<int:pk>/searchable/", attachments.attachment_ocr_copy, name="attachment_ocr_copy"),
    path("attachments/<int:pk>/ocr/retry/", attachments.attachment_ocr_retry_view, name="attachment_ocr_retry"),
    path("records/<int:pk>/attachments/add/", attachments.attachment_upload, name="attachment_upload"),
    path("filing/new/several/", attachments.submission_batch, name="submission_batch"),
]
