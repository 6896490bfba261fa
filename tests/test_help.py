"""Issue 16 point 7: a help page per role (/help/): the routines of the
reader's roles first, in Chinese, each with links to the screens that do
them; the other roles' routines folded away below."""
import re

import pytest
from django.urls import reverse

from accounts.roles import Role

HELP = reverse("help")

# What each role's own section must link to (URL names of the screens).
OWN_LINKS = {
    Role.STAFF: ["submission_create", "my_submissions", "lending_mine", "client_list"],
    Role.OUTSIDE_STAFF: ["record_list", "lending_mine"],
    Role.ARCHIVIST: ["receiving_queue", "handover_list", "lending_desk", "inventory_stocktakes", "disposal_inbox"],
    Role.DEPARTMENT_HEAD: ["lending_inbox", "disposal_inbox", "disposal_holds"],
    Role.LEADERSHIP: ["disposal_inbox", "contract_ledger", "client_list"],
    Role.SYSADMIN: ["admin:index"],
}
HEADINGS = {
    Role.STAFF: "提交归档",
    Role.OUTSIDE_STAFF: "借阅档案",
    Role.ARCHIVIST: "接收归档",
    Role.DEPARTMENT_HEAD: "审批借阅",
    Role.LEADERSHIP: "审批销毁",
    Role.SYSADMIN: "解锁账号",
}


def sections(page):
    """[(role code, open?)] of the page's role sections in order."""
    found = []
    for match in re.finditer(r'<(section|details) class="[^"]*help-section[^"]*"[^>]*data-role="([a-z_]+)"', page):
        found.append((match.group(2), match.group(1) == "section"))
    return found


def section_html(page, role):
    start = page.index(f'data-role="{role.value}"')
    end = min(i for i in (page.find("</section>", start), page.find("</details>", start)) if i != -1)
    return page[start:end]


@pytest.mark.parametrize("role", list(Role))
def test_the_own_section_comes_first_open_with_its_links(client, role_users, role):
    client.force_login(role_users[role])
    page = client.get(HELP).content.decode()
    order = sections(page)
    assert order[0] == (role.value, True)
    assert ("everyone", True) in order
    others = [code for code, is_open in order if not is_open]
    assert sorted(others) == sorted(other.value for other in Role if other != role)
    own = section_html(page, role)
    assert f"您作为{role.label}的工作" in page
    assert HEADINGS[role] in own
    for name in OWN_LINKS[role]:
        assert f'href="{reverse(name)}"' in own, name


@pytest.mark.parametrize("role", list(Role))
def test_every_link_on_the_page_opens_for_its_own_role(client, role_users, role):
    """The links in a role's own section lead somewhere that role may go."""
    client.force_login(role_users[role])
    own = section_html(client.get(HELP).content.decode(), role)
    for href in set(re.findall(r'href="([^"]+)"', own)):
        response = client.get(href)
        assert response.status_code in (200, 302), (href, response.status_code)
        if response.status_code == 302:
            assert reverse("login") not in response["Location"], href


def test_the_page_is_chinese_without_rule_ids(client, role_users):
    client.force_login(role_users[Role.ARCHIVIST])
    page = client.get(HELP).content.decode()
    text = re.sub(r"<[^>]*>", " ", page[page.index("<main"):] if "<main" in page else page)
    assert not re.search(r"\bR-[A-Z]+", text)
    assert "使用帮助" in page
    for english in ("Receive records", "Lending desk", "stocktake", "Help"):
        assert english not in text


def test_a_person_with_two_roles_sees_both_sections_open(client, staff):
    from accounts.roles import assign_role

    assign_role(staff, Role.ARCHIVIST)
    client.force_login(staff)
    order = sections(client.get(HELP).content.decode())
    assert order[:2] == [(Role.STAFF.value, True), (Role.ARCHIVIST.value, True)]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(HELP)
    assert response.status_code == 302 and reverse("login") in response["Location"]
