from django.urls import path

from records.views import attachments

urlpatterns = [
    path("attachments/<int:pk>/download/", attachments.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/preview/", attachments.attachment_preview, name="attachment_preview"),
    path("attachments/<int:pk>/thumbnail/", attachments.attachment_thumbnail, name="attachment_thumbnail"),
    path("records/<int:pk>/attachments/add/", attachments.attachment_upload, name="attachment_upload"),
    path("filing/new/several/", attachments.submission_batch, name="submission_batch"),
]
