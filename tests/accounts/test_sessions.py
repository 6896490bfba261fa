"""Sessions: the idle timeout, sign-out of other sessions on a password
change, self-service password reset by mail, and the password rules."""
import re

from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.middleware import IdleTimeout

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory
NEW_PASSWORD = "Xq7-archive-Lantern"


def idle_for(client, seconds):
    session = client.session
    session[IdleTimeout.SESSION_KEY] = session[IdleTimeout.SESSION_KEY] - seconds
    session.save()


def test_idle_timeout_signs_out_after_thirty_minutes(client, staff):
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 200
    idle_for(client, 31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    page = client.get(response.url)
    assert "长时间未操作，已自动退出" in page.content.decode()


def test_activity_keeps_the_session(client, staff):
    client.force_login(staff)
    client.get(reverse("home"))
    idle_for(client, 29 * 60)
    assert client.get(reverse("home")).status_code == 200
    assert SESSION_KEY in client.session


def test_idle_timeout_is_a_setting(client, settings, staff):
    settings.ARCHIVE_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(staff)
    client.get(reverse("home"))
    idle_for(client, 6 * 60)
    assert client.get(reverse("home")).status_code == 302


def test_password_change_ends_the_other_sessions(client, staff):
    other = Client()
    other.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert other.get(reverse("home")).status_code == 200
    client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    # This browser stays signed in; the other one is out.
    assert client.get(reverse("home")).status_code == 200
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_password_rules_refuse_a_weak_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "这个密码太常见了" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_password_reset_by_mail_works_once(client, staff):
    staff.email = "staff@example.com"
    staff.save()
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    response = client.post(reverse("password_reset"), {"email": "staff@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff@example.com"]
    assert "市场部档案管理系统" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    # The link is spent.
    page = client.get(link, follow=True)
    assert "此链接已使用或已失效" in page.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, staff):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert mail.outbox == []
    assert response.status_code == 200 and 'id="password-reset-sent"' in response.content.decode()
