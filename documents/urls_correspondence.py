"""The correspondence registers' screens (R-SCOPE 3–4), included by documents.urls."""
from django.urls import path

from documents.views import correspondence

urlpatterns = [
    path("correspondence/", correspondence.correspondence_list, name="documents_correspondence"),
    path("correspondence/new/", correspondence.correspondence_new, name="documents_correspondence_new"),
    path("correspondence/<int:pk>/", correspondence.correspondence_detail, name="documents_correspondence_detail"),
    path("correspondence/<int:pk>/edit/", correspondence.correspondence_edit, name="documents_correspondence_edit"),
    path(
        "correspondence/<int:pk>/file/", correspondence.correspondence_file_view,
        name="documents_correspondence_file",
    ),
    path(
        "registers/correspondence/", correspondence.correspondence_register_view,
        name="documents_correspondence_register",
    ),
]
