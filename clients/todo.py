"""What client files have waiting for the viewer, on the home page's to-do
list (records.todo; registered in ClientsConfig.ready()): the weekly review
of client profiles (R-CLIENT), for those who may mark them reviewed: the
archivist, who keeps every profile. A staff member responsible for a
client marks that one reviewed from its page."""
from django.urls import reverse
from django.utils.translation import gettext as _

from clients import policies, selectors
from records.todo import item_if, register_todo


def review_items(request):
    user = request.user
    if not (policies.may_view_clients(user) and user.has_perm("clients.change_client")):
        return []
    return item_if(
        True,
        _("Client files due for their review"),
        selectors.clients_due_for_review(user),
        reverse("client_review_due"),
    )


def register_todos():
    register_todo("clients.review", review_items, order=45)
