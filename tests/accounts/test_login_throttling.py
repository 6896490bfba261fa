"""Login throttling (django-axes, accounts.throttling): five failures for a
username from one address lock that pair, many failures from one address
over any usernames lock the address, the back-office login is covered the
same way, and the system administrator sees and lifts lockouts (R-ACCESS)."""
import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory


def sign_in(client, username, password, *, url=None, address="10.0.0.7"):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, **kwargs):
    for _attempt in range(times):
        response = sign_in(client, username, "wrong-password", **kwargs)
    return response


def test_four_failures_still_let_the_right_password_in(client, staff):
    fail(client, "staff", 4)
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    # Success resets the count (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username="staff", failures_since_start__gt=0).exists()


def test_fifth_failure_locks_the_username_from_that_address(client, staff):
    response = fail(client, "staff", 5)
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    # Even the right password is refused now, and no session starts.
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert AccessFailureLog.objects.filter(username="staff").count() >= 5


def test_lockout_is_per_username_and_address(client, staff):
    fail(client, "staff", 5)
    # The same person from another machine is not locked out ...
    response = sign_in(client, "staff", PASSWORD, address="10.0.0.8")
    assert response.status_code == 302
    client.logout()
    # ... nor is another person at the locked machine.
    UserFactory(username="colleague")
    response = sign_in(client, "colleague", PASSWORD)
    assert response.status_code == 302


def test_spraying_many_usernames_from_one_address_locks_the_address(client, settings, staff):
    settings.ARCHIVE_LOGIN_IP_FAILURE_LIMIT = 8
    for number in range(4):
        fail(client, f"guess{number}", 2)
    response = sign_in(client, "staff", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert sign_in(client, "staff", PASSWORD, address="10.0.0.9").status_code == 302


def test_back_office_login_is_throttled_too(client, archivist):
    url = reverse("admin:login")
    for _attempt in range(5):
        response = sign_in(client, "archivist", "wrong-password", url=url)
    assert response.status_code == 429
    assert sign_in(client, "archivist", PASSWORD, url=url).status_code == 429
    assert AccessFailureLog.objects.filter(username="archivist").count() >= 5


def test_sysadmin_sees_lockouts_and_unlocks_in_the_back_office(client, staff, sysadmin):
    fail(client, "staff", 5)
    attempt = AccessAttempt.objects.get(username="staff")
    client.force_login(sysadmin)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "staff" in page.content.decode()
    assert "登录尝试" in page.content.decode()
    failures = client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert failures.status_code == 200 and "10.0.0.7" in failures.content.decode()
    # Rows are not deleted by hand: the page offers no deletion, only the unlock action.
    assert client.get(reverse("admin:axes_accessattempt_delete", args=[attempt.pk])).status_code == 403
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert "已解除 1 个登录锁定" in response.content.decode()
    assert not AccessAttempt.objects.filter(username="staff").exists()
    client.logout()
    assert sign_in(client, "staff", PASSWORD).status_code == 302


@pytest.mark.parametrize("role_fixture", ["staff", "archivist", "department_head"])
def test_only_the_sysadmin_sees_the_sign_in_log(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code in (302, 403)
    assert b"10.0.0.7" not in response.content


def test_unlock_by_command(client, staff):
    fail(client, "staff", 5)
    call_command("axes_reset_username", "staff")
    assert sign_in(client, "staff", PASSWORD).status_code == 302


def test_behind_the_proxy_each_sign_in_is_counted_for_the_clients_own_address(client, staff, settings):
    """ARCHIVE_PROXY_COUNT=1 (nginx in front): the address is the one nginx
    appends to X-Forwarded-For, so one client's failures do not lock
    everybody out as 127.0.0.1; what the client itself put in the header
    before it is ignored."""
    settings.ARCHIVE_PROXY_COUNT = 1
    client.post(reverse("login"), {"username": "staff", "password": "wrong"},
                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.post(reverse("login"), {"username": "staff", "password": "wrong"},
                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.10")
    assert sorted(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["203.0.113.10", "203.0.113.9"]


def test_without_a_proxy_a_forged_forwarded_address_is_ignored(client, staff):
    client.post(reverse("login"), {"username": "staff", "password": "wrong"},
                REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert list(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["10.0.0.7"]
