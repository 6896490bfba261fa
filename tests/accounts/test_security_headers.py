"""Response headers: a strict Content-Security-Policy (no inline script),
Referrer-Policy, Permissions-Policy, and no caching of anything a signed-in
user is shown (R-ACCESS)."""
import pytest
from django.urls import reverse


def test_login_page_carries_the_security_headers(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url_name", ["home", "record_list"])
def test_pages_for_a_signed_in_user_are_not_stored(client, archivist, url_name):
    client.force_login(archivist)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response


def test_back_office_pages_carry_the_policy_and_are_not_stored(client, archivist):
    client.force_login(archivist)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
