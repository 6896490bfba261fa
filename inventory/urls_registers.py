"""The inventory registers: the stocktake report and the write-off
register, included by inventory.urls."""
from django.urls import path

from inventory import views_registers

urlpatterns = [
    path("stocktakes/<int:pk>/report/", views_registers.stocktake_report, name="inventory_stocktake_report"),
    path("registers/write-offs/", views_registers.write_off_register, name="inventory_write_off_register"),
]
