"""The reconciliation and write-off screens (inventory.views.reconcile,
inventory.views.write_offs), included by inventory.urls."""
from django.urls import path

from inventory.views import reconcile, write_offs

urlpatterns = [
    path("stocktakes/<int:pk>/reconciliation/", reconcile.reconciliation, name="inventory_reconciliation"),
    path("stocktakes/<int:pk>/resolve/", reconcile.difference_resolve_view, name="inventory_difference_resolve"),
    path("write-offs/", write_offs.write_off_list, name="inventory_write_offs"),
    path("write-offs/new/", write_offs.write_off_new, name="inventory_write_off_new"),
    path("write-offs/<int:pk>/", write_offs.write_off_detail, name="inventory_write_off_detail"),
    path("write-offs/<int:pk>/approve/", write_offs.write_off_approve_view, name="inventory_write_off_approve"),
    path("write-offs/<int:pk>/refuse/", write_offs.write_off_refuse_view, name="inventory_write_off_refuse"),
]
