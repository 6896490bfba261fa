"""The holder's screens (documents.views.copies): my controlled copies,
signing for and reporting one, and the 受控文件清单."""
from django.urls import path

from documents.views import copies

urlpatterns = [
    path("my-copies/", copies.my_copies, name="documents_my_copies"),
    path("copies/<int:pk>/sign/", copies.copy_sign_view, name="documents_copy_sign"),
    path("copies/<int:pk>/report/", copies.copy_report, name="documents_copy_report"),
    path("valid/", copies.valid_list, name="documents_valid_list"),
]
