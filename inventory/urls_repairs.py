"""The repair and copy task screens and restoring a found record
(inventory.views.repairs), included by inventory.urls under /inventory/."""
from django.urls import path

from inventory.views import repairs

urlpatterns = [
    path("repairs/", repairs.repair_list, name="inventory_repairs"),
    path("repairs/new/", repairs.repair_new, name="inventory_repair_new"),
    path("repairs/<int:pk>/done/", repairs.repair_done, name="inventory_repair_done"),
    path("records/<int:pk>/restore/", repairs.record_restore, name="inventory_record_restore"),
]
