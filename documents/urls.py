"""The documents screens, under /documents/: a urls module per part."""
from django.urls import include, path

urlpatterns = [
    path("", include("documents.urls_correspondence")),
    path("", include("documents.urls_desk")),
    path("", include("documents.urls_copies")),
    path("", include("documents.urls_lifecycle")),
    path("", include("documents.urls_registers")),
    path("", include("documents.urls_downloads")),
]
