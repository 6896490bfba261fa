"""Sign in, sign out, password change and the language switch.

Every page needs a login (LoginRequiredMiddleware) except the login page and
the language switch, which the login page offers."""
import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory


def test_login_page_opens_without_login(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'id="login-form"' in html
    # The language switch is on the login page; the navigation is not.
    assert f'action="{reverse("set_language")}"' in html
    assert f'href="{reverse("record_list")}"' not in html


def test_login_with_the_right_password_goes_home(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_login_follows_next(client, staff):
    response = client.post(
        reverse("login"), {"username": "staff", "password": PASSWORD, "next": reverse("record_list")}
    )
    assert response.url == reverse("record_list")


def test_login_with_a_wrong_password_shows_an_error(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong-password"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].non_field_errors()
    assert 'class="errorlist nonfield"' in response.content.decode()


def test_inactive_user_cannot_log_in(client, staff):
    staff.is_active = False
    staff.save()
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_logout_is_post_only(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_logout_signs_out_and_returns_to_login(client, staff):
    client.force_login(staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("url_name", ["password_change", "password_change_done", "home"])
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")


def test_password_change_form_opens(client, staff):
    client.force_login(staff)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert 'id="password-change-form"' in response.content.decode()


def test_password_change_changes_the_password_and_keeps_the_session(client, staff):
    client.force_login(staff)
    new_password = "Xq7-archive-Lantern"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    staff.refresh_from_db()
    assert staff.check_password(new_password)
    assert client.get(reverse("password_change_done")).status_code == 200


def test_password_change_with_a_wrong_old_password_changes_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": "Xq7-archive-Lantern", "new_password2": "Xq7-archive-Lantern"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_set_language_works_before_login(client, db):
    """archive_site/urls.py exempts set_language from LoginRequiredMiddleware."""
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


def test_set_language_switches_the_portal_to_english_and_back(client, db):
    user = UserFactory(username="switcher")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()


def test_set_language_is_post_only(client, db):
    response = client.get(reverse("set_language"), {"language": "en"})
    assert "django_language" not in response.cookies


def test_interface_is_chinese_whatever_the_browser_asks_until_english_is_chosen(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<html lang=\"zh-hans\"" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "<html lang=\"en\"" in page.content.decode()
