"""The help page (records.views.help), included by records.urls."""
from django.urls import path

from records.views import help as help_views

urlpatterns = [
    path("help/", help_views.help_page, name="help"),
]
