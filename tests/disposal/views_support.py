"""Shared by the disposal screens' tests (tests/disposal/test_views_*.py):
English pages (the assertions read the English msgids), the messages a
response shows, and the roles."""
from django.contrib.messages import get_messages

from accounts.roles import Role
from tests.conftest import speak_english

EVERY_ROLE = list(Role)
# Who reads lists (disposal.policies.may_view).
LIST_READERS = {Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP}


def signed_in(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def text_of(response):
    return response.content.decode()


def shown_messages(client, response):
    """The messages a redirect carries, or those a page shows."""
    if response.status_code in (301, 302):
        return [str(message) for message in get_messages(response.wsgi_request)]
    return [str(message) for message in response.context["messages"]] if response.context else []
