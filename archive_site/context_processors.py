"""Which parts of the portal the navigation bar offers: each answer comes
from the app's policies, the one home of its rule."""
from functools import cached_property

from clients import policies as client_policies
from contracts import policies as contract_policies
from disposal import policies as disposal_policies
from documents import policies as document_policies
from inventory import policies as inventory_policies
from records import policies as record_policies


class PortalNavigation:
    def __init__(self, user):
        self.user = user

    @cached_property
    def may_submit(self):
        return record_policies.may_submit(self.user)

    @cached_property
    def may_receive(self):
        return record_policies.may_receive(self.user)

    @cached_property
    def may_view_statistics(self):
        return record_policies.may_view_statistics(self.user)

    @cached_property
    def may_run_maintenance(self):
        return record_policies.may_run_maintenance(self.user)

    @cached_property
    def may_place_hold(self):
        return record_policies.may_place_hold(self.user)

    @cached_property
    def may_view_disposal(self):
        return disposal_policies.may_view(self.user)

    @cached_property
    def may_view_stocktakes(self):
        return inventory_policies.may_view(self.user)

    @cached_property
    def may_print_labels(self):
        return inventory_policies.may_run_stocktake(self.user)

    @cached_property
    def may_view_ledger(self):
        return contract_policies.may_view_ledger(self.user)

    @cached_property
    def may_view_clients(self):
        return client_policies.may_view_clients(self.user)

    @cached_property
    def may_view_documents(self):
        """The archivist and the head open the distribution desk; everyone
        else their own controlled copies."""
        return document_policies.may_view_documents(self.user)

    @cached_property
    def may_see_correspondence(self):
        return document_policies.may_keep_registers(self.user) or self.may_view_documents


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"portal_nav": PortalNavigation(user)}
