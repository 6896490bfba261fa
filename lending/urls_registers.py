"""The lending register (借阅登记表, R-LEND-1)."""
from django.urls import path

from lending.views import registers

urlpatterns = [
    path("register/", registers.lending_register_view, name="lending_register"),
]
