"""The disposal screens, under /disposal/: the lists' workflow here
(disposal.views), the holds (urls_holds) and the registers (urls_registers)
in their own files."""
from django.urls import include, path

from disposal.views import appraisal, decisions, items, lists, panels, witnesses

urlpatterns = [
    path("", panels.inbox, name="disposal_inbox"),
    path("appraisal/", appraisal.appraisal, name="disposal_appraisal"),
    path("lists/", lists.list_index, name="disposal_lists"),
    path("lists/new/", lists.list_new, name="disposal_list_create"),
    path("lists/<int:pk>/", lists.list_detail, name="disposal_list_detail"),
    path("lists/<int:pk>/opinion/", lists.list_opinion, name="disposal_list_opinion"),
    path("lists/<int:pk>/add/", items.list_add, name="disposal_list_add"),
    path("lists/<int:pk>/submit/", lists.list_submit_view, name="disposal_list_submit"),
    path("lists/<int:pk>/return/", lists.list_return_view, name="disposal_list_return"),
    path("lists/<int:pk>/approve/", decisions.list_approve_view, name="disposal_list_approve"),
    path("lists/<int:pk>/destruction/", decisions.destruction_record_view, name="disposal_destruction_record"),
    path("lists/<int:pk>/execute/", decisions.list_execute_view, name="disposal_list_execute"),
    path("items/<int:pk>/edit/", items.item_edit, name="disposal_item_edit"),
    path("items/<int:pk>/strike/", items.item_strike_view, name="disposal_item_strike"),
    path("records/<int:pk>/weed/", items.weed_record, name="disposal_weed_record"),
    path("witness/", witnesses.witness_list, name="disposal_witness_list"),
    path("witness/<int:pk>/", witnesses.witness_confirm_view, name="disposal_witness_confirm"),
    path("", include("disposal.urls_holds")),
    path("", include("disposal.urls_registers")),
]
