"""The controlled document registers (part REGISTERS of issue 14),
included by documents.urls."""
from django.urls import path

from documents import views_registers

urlpatterns = [
    path("registers/distribution/", views_registers.distribution_register, name="documents_distribution_register"),
    path("registers/valid/", views_registers.valid_register, name="documents_valid_register"),
    path("purges/<int:pk>/certificate/", views_registers.purge_certificate, name="documents_purge_certificate"),
]
