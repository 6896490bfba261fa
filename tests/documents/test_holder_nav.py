"""The navigation bar's way to controlled documents: every signed-in user
reaches their own copies; the archivist and the head, who may view the
documents, reach the distribution desk instead, and the correspondence
registers (收发文) too (documents.policies via
archive_site.context_processors)."""
import pytest
from django.urls import reverse

from accounts.roles import Role

DESK = 'href="/documents/"'
MINE = f'href="{reverse("documents_my_copies")}"'
CORRESPONDENCE = 'href="/documents/correspondence/"'
VIEWERS = {Role.ARCHIVIST, Role.DEPARTMENT_HEAD}


def nav_of(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode().split('class="main-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("role", list(Role))
def test_every_user_is_offered_controlled_documents_by_their_policy(client, role_users, role):
    nav = nav_of(client, role_users[role])
    assert (DESK in nav) is (role in VIEWERS)
    assert (MINE in nav) is (role not in VIEWERS)
    assert (CORRESPONDENCE in nav) is (role in VIEWERS)
    assert nav.count("受控文件") == 1 or nav.count("Controlled documents") == 1
