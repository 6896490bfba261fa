"""The navigation bar offers each part of the portal exactly to those its
app's policy lets in (archive_site.context_processors)."""
import pytest
from django.urls import reverse

from accounts.roles import Role

LINKS = {
    # Members of the department that owns the archive (the fixtures' leadership user is one).
    "submission_create": {Role.STAFF, Role.ARCHIVIST},
    "receiving_queue": {Role.ARCHIVIST},
    "contract_ledger": {Role.STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP},
    "lending_desk": {Role.ARCHIVIST},
    "client_list": {Role.STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP},
    # records.policies.may_place_hold: the department head, leadership and the keeper (issue 12).
    "disposal_holds": {Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP},
    # disposal.policies.may_view: the keeper, the head and leadership (R-DISP-1..3).
    "disposal_inbox": {Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP},
    # inventory.policies.may_run_stocktake: the keeper prints box and record labels (issue 13).
    "inventory_labels": {Role.ARCHIVIST},
    # inventory.policies.may_view: the keeper counts, the head decides write-offs (R-INV-1, R-INV-3).
    "inventory_stocktakes": {Role.ARCHIVIST, Role.DEPARTMENT_HEAD},
}


@pytest.mark.parametrize("role", list(Role))
def test_navigation_follows_the_policies(client, role_users, role):
    client.force_login(role_users[role])
    nav = client.get(reverse("home")).content.decode().split('class="main-nav"')[1].split("</nav>")[0]
    offered = {name for name in LINKS if f'href="{reverse(name)}"' in nav}
    assert offered == {name for name, roles in LINKS.items() if role in roles}
