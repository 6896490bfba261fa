"""The label sheets' screens (inventory.views_labels), included by inventory.urls."""
from django.urls import path

from inventory import views_labels

urlpatterns = [
    path("labels/", views_labels.labels_index, name="inventory_labels"),
    path("labels/boxes.pdf", views_labels.box_labels_view, name="inventory_box_labels"),
    path("labels/records.pdf", views_labels.record_labels_view, name="inventory_record_labels"),
]
