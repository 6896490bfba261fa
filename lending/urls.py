"""Lending (R-LEND-1..6): the requester's pages, the approvers' inbox, the
archivist's desk and the lending register."""
from django.urls import include, path

from lending.views import approvals, desk, requester

urlpatterns = [
    # The requester
    path("", requester.my_lending, name="lending_mine"),
    path("request/", requester.request_create, name="lending_request"),
    path("requests/<int:pk>/cancel/", requester.request_cancel, name="lending_request_cancel"),
    path("loans/<int:pk>/extend/", requester.extension_create, name="lending_extension_request"),
    # Approvers
    path("inbox/", approvals.inbox, name="lending_inbox"),
    path("inbox/approve/", approvals.bulk_approve, name="lending_bulk_approve"),
    path("requests/<int:pk>/decide/", approvals.request_decide, name="lending_request_decide"),
    path("extensions/<int:pk>/decide/", approvals.extension_decide, name="lending_extension_decide"),
    # The archivist's desk
    path("desk/", desk.desk, name="lending_desk"),
    path("requests/<int:pk>/hand-out/", desk.hand_out, name="lending_hand_out"),
    path("requests/<int:pk>/shown/", desk.view_shown, name="lending_view_shown"),
    path("loans/<int:pk>/return/", desk.loan_return, name="lending_return"),
    path("loans/<int:pk>/lost/", desk.loan_lost, name="lending_lost"),
    path("loans/<int:pk>/remind/", desk.loan_remind, name="lending_remind"),
    path("incidents/<int:pk>/resolve/", desk.incident_resolve, name="lending_incident_resolve"),
    # The lending register (借阅登记表)
    path("", include("lending.urls_registers")),
]
