"""Screens of the inventory app, included by inventory.urls."""

urlpatterns = []
