"""The notice counter in the page header, as a person sees it: shared by
the tests that check handled notices leave every recipient's counter
(issue 16)."""
import re

from django.urls import reverse

from tests.conftest import speak_english

NOTICES_LINK = r'href="{url}"[^>]*>Notices(?: <span class="nav-count"[^>]*>(?P<count>\d+)</span>)?</a>'


def header_notice_count(client, user):
    """The number the navigation shows beside 'Notices' on the home page
    (0 when it shows none)."""
    client.force_login(user)
    speak_english(client)
    html = client.get(reverse("home")).content.decode()
    match = re.search(NOTICES_LINK.format(url=re.escape(reverse("notice_list"))), html)
    assert match, "the header has no Notices link"
    return int(match.group("count") or 0)
