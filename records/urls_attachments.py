from django.urls import path

from records.views import attachments

urlpatterns = [
    path("attachments/<int:pk>/download/", attachments.attachment_download, name="attachment_download"),
    path("records/<int:pk>/attachments/add/", attachments.attachment_upload, name="attachment_upload"),
]
