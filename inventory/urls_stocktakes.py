"""The stocktake screens (inventory.views.stocktakes, counting), included
by inventory.urls."""
from django.urls import path

from inventory.views import counting, stocktakes

urlpatterns = [
    path("stocktakes/", stocktakes.stocktake_list, name="inventory_stocktakes"),
    path("stocktakes/new/", stocktakes.stocktake_open, name="inventory_stocktake_open"),
    path("stocktakes/<int:pk>/", stocktakes.stocktake_detail, name="inventory_stocktake_detail"),
    path("stocktakes/<int:pk>/close/", stocktakes.stocktake_close, name="inventory_stocktake_close"),
    path("units/<int:pk>/", counting.unit_count, name="inventory_unit_count"),
    path("units/<int:pk>/scan/", counting.unit_scan, name="inventory_unit_scan"),
    path("units/<int:pk>/counted/", counting.unit_mark_counted, name="inventory_unit_mark_counted"),
]
