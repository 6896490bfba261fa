"""What documents have waiting for the viewer, on the home page's to-do
list (records.todo; registered in DocumentsConfig.ready()):

- every holder: copies to sign for and recalled copies to hand back
  (R-CTRL-2, R-CTRL-5);
- the archivist: documents ready to distribute (R-CTRL-1), copies lost or
  damaged waiting for a new one (R-CTRL-3, R-CTRL-4), recalls not yet back
  (R-CTRL-5);
- the department head: revisions to countersign (R-CTRL-6) and purge
  lists to approve (R-CTRL-7).
The home panel (documents.panels) names the copies themselves."""
from django.urls import reverse
from django.utils.translation import gettext as _

from documents import policies, selectors
from records.todo import item_if, register_todo


def holder_items(request):
    user = request.user
    mine = reverse("documents_my_copies")
    return [
        *item_if(True, _("Document copies to sign for"), selectors.copies_to_sign(user), mine),
        *item_if(True, _("Recalled document copies to hand back"), selectors.copies_to_return(user), mine, tone="warning"),
    ]


def distributor_items(request):
    if not policies.may_distribute(request.user):
        return []
    desk = reverse("documents_desk")
    to_replace = selectors.lost_copies_to_reissue().count() + selectors.desk_damaged_copies().count()
    return [
        *item_if(True, _("Documents ready to distribute"), selectors.documents_to_distribute(), f"{desk}?show=ready"),
        *item_if(True, _("Document copies lost or damaged, to replace"), to_replace, desk, tone="warning"),
        *item_if(True, _("Recalled document copies not yet back"), selectors.outstanding_recalls(), reverse("documents_recalls")),
    ]


def head_items(request):
    user = request.user
    return [
        *item_if(
            policies.may_countersign(user),
            _("Document revisions to countersign"),
            selectors.revisions_to_countersign(user),
            f"{reverse('documents_desk')}?show=awaiting",
        ),
        *item_if(
            policies.may_decide_purges(user),
            _("Register purge lists waiting for your approval"),
            selectors.purges_to_decide(user),
            reverse("documents_retention"),
        ),
    ]


def register_todos():
    register_todo("documents.holder", holder_items, order=65)
    register_todo("documents.distributor", distributor_items, order=55)
    register_todo("documents.head", head_items, order=56)
