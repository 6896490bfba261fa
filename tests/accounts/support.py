"""Helpers for the separation-of-duties tests: a superuser, the link in a
mail and choosing a password with it, the state of an account."""
import re

from django.test import Client

from tests.admin_support import staff_user_with_perms

NEW_PASSWORD = "Xq7-archive-Lantern"
LINK = re.compile(r"http://testserver(/accounts/password/reset/\S+/)")


def superuser(username="root"):
    return staff_user_with_perms(username, is_superuser=True, email=f"{username}@example.com")


def link_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def choose_password(link, password=NEW_PASSWORD):
    """Follow a mailed link as the person would, signed out, and choose a
    password; return the response of the form."""
    client = Client()
    form_url = client.get(link).url  # Django swaps the token for a session marker
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def account_snapshot(user):
    """Everything the sysadmin must not be able to change on a refusal."""
    user.refresh_from_db()
    return {
        "password": user.password,
        "email": user.email,
        "department": user.department_id,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }
