"""The contract ledger (台帐, R-CONTRACT)."""
from django.urls import path

from contracts import views

urlpatterns = [
    path("", views.ledger, name="contract_ledger"),
    path("new/", views.register_contract, name="contract_register"),
]
