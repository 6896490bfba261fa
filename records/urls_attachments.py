from django.urls import path

from records.views import portal

urlpatterns = [
    path("attachments/<int:pk>/download/", portal.attachment_download, name="attachment_download"),
]
