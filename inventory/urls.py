"""The inventory screens, under /inventory/ (added by the screens' helper)."""
from django.urls import include, path

urlpatterns = [
    path("", include("inventory.urls_labels")),
]
