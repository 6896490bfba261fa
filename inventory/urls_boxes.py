"""What a box (or any storage location) holds (inventory.views.boxes),
included by inventory.urls under /inventory/."""
from django.urls import path

from inventory.views import boxes

urlpatterns = [
    path("locations/<int:pk>/", boxes.location_contents, name="location_contents"),
]
