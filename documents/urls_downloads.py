"""Downloads of stamped copies (documents.views.downloads, R-CTRL-2, R-CTRL-5)."""
from django.urls import path

from documents.views import downloads

urlpatterns = [
    path("copies/<int:pk>/download/", downloads.copy_download, name="documents_copy_download"),
    path("copies/<int:pk>/reference/", downloads.reference_download, name="documents_reference_download"),
]
