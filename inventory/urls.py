"""The inventory screens, under /inventory/: a urls module per part."""
from django.urls import include, path

urlpatterns = [
    path("", include("inventory.urls_labels")),
    path("", include("inventory.urls_stocktakes")),
    path("", include("inventory.urls_reconcile")),
    path("", include("inventory.urls_repairs")),
    path("", include("inventory.urls_registers")),
    path("", include("inventory.urls_boxes")),
]
