"""The disposal screens (added by the screens' part of issue 12)."""
from django.urls import include, path

urlpatterns = [
    path("", include("disposal.urls_holds")),
    path("", include("disposal.urls_registers")),
]
