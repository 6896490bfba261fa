"""The read matrix: every URL of the site (tests/access_matrix/patterns.py)
GET by anonymous and by a user of every role, over the matrix's world.

For every response (HTML, JSON, PDF and Excel read as text): no server
error; anonymous is sent to sign in or refused (403/404/405) except on the
public pages; nobody is shown a record records.selectors.visible_records
hides from them (its title, archive number, file names or contract number),
nor a contact's unmasked phone, e-mail or ID number unless
clients.policies.may_see_personal_data allows it (R-LEND-4, R-ACCESS,
R-CLIENT). And each user finds, somewhere, every record title they may see,
so the matrix is known to look where the texts are. Each role is one test
listing every failing URL; the cases of findings.READ run on their own as
strict xfails."""
import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from clients.policies import may_see_personal_data
from records.selectors import visible_records
from tests.access_matrix import findings
from tests.access_matrix.expectations import (
    PUBLIC,
    MatrixFailures,
    assert_no_failures,
    is_refused,
    leaks,
    refusal_of,
    response_text,
    allowed_on,
    secrets_for,
)
from tests.access_matrix.patterns import EXCLUDED, concrete_pages
from tests.access_matrix.support import MATRIX_ROLES, REFUSED_GETS, SENT, role_id, send, sign_in, username

MINIMUM_REQUESTS = 600


def test_every_url_pattern_is_in_the_matrix(world):
    """A new screen fails here until patterns.py can fill its parameters
    (or EXCLUDED names it, with the reason)."""
    pages, unfilled = concrete_pages(world)
    assert not unfilled, (
        "URL patterns the access matrix cannot fill; map them in tests/access_matrix/patterns.py "
        "(and world.py):\n" + "\n".join(unfilled)
    )
    assert all(reason for reason in EXCLUDED.values())
    assert len({page.url for page in pages}) == len(pages)


def _shown(user, world):
    """{text: what it is} of what `user` may see and should find somewhere:
    the titles of the world's records visible to them, and the unmasked
    personal data when they may see it (a check that the matrix looks where
    the texts are)."""
    everything = secrets_for(AnonymousUser(), world)
    hidden = secrets_for(user, world)
    titles = {record.title for record in world.records.values()}
    shown = {text: why for text, why in everything.items() if text not in hidden and text in titles}
    if user.is_authenticated and may_see_personal_data(user):
        shown.update({contact.phone: f"phone of {contact.name}" for contact in world.contacts})
    return shown


def _check_anonymous(page, response):
    if page.pattern.name in PUBLIC or is_refused(response):
        return []
    return [f"{page.label}: anonymous got {response.status_code}, not a refusal or the sign-in page"]


def _check_page(client, page, user, secrets):
    """(failures, text of the response)."""
    response, error = send(client, "get", page.url)
    if error:
        return [f"{page.label}: {error}"], ""
    REFUSED_GETS[username(user), page.key] = refusal_of(response)
    failures = []
    if response.status_code >= 500:
        failures.append(f"{page.label}: server error {response.status_code}")
    if not user.is_authenticated:
        failures.extend(_check_anonymous(page, response))
    text = response_text(response)
    secrets = {secret: why for secret, why in secrets.items() if secret not in allowed_on(page, user)}
    failures.extend(f"{page.label}: shows the {why}" for why in leaks(text, secrets))
    return failures, text


def _read(client, pages, user, secrets, shown=()):
    """(failures, the texts of `shown` some page showed)."""
    failures, found = [], set()
    for page in pages:
        page_failures, text = _check_page(client, page, user, secrets)
        failures.extend(page_failures)
        found.update(expected for expected in shown if expected in text)
    return failures, found


@pytest.mark.parametrize("role", MATRIX_ROLES, ids=role_id)
def test_read_matrix(role, world, client):
    user = sign_in(client, world, role)
    pages = [page for page in concrete_pages(world)[0] if (role, page.pattern.name) not in findings.READ]
    shown = _shown(user, world)
    failures, found = _read(client, pages, user, secrets_for(user, world), shown)
    failures.extend(
        f"no page shows the {why}, which {role_id(role)} may see" for text, why in shown.items() if text not in found
    )
    assert_no_failures(f"{role_id(role)} over {len(pages)} pages", failures)


if findings.READ:  # defined while findings.READ lists cases (an empty parametrize is a skip)

    @pytest.mark.parametrize(
        "role, name",
        [
            pytest.param(
                role, name, id=f"{role_id(role)}-{name}",
                marks=pytest.mark.xfail(strict=True, raises=MatrixFailures, reason=reason),
            )
            for (role, name), reason in findings.READ.items()
        ],
    )
    def test_read_matrix_known_finding(role, name, world, client):
        """The cases of findings.READ, each expected to fail until the code is fixed."""
        user = sign_in(client, world, role)
        pages = [page for page in concrete_pages(world)[0] if page.pattern.name == name]
        assert pages, f"{name} is no longer a URL of the site: remove it from findings.READ"
        failures, _found = _read(client, pages, user, secrets_for(user, world))
        assert_no_failures(f"{role_id(role)} over {name}", failures)


def test_staff_is_shown_only_part_of_the_world(world):
    """The expectations come from visible_records: staff see the public and
    internal records, their own draft and the one granted to them, and none
    of the other confidential records or the colleague's submission."""
    staff = world.users[Role.STAFF]
    seen = {name for name, record in world.records.items() if visible_records(staff).filter(pk=record.pk).exists()}
    assert seen == {"public", "internal", "confidential, granted to staff", "staff's confidential draft"}
    outsider = world.users[Role.OUTSIDE_STAFF]
    seen = [name for name, record in world.records.items() if visible_records(outsider).filter(pk=record.pk).exists()]
    assert seen == ["public"]


def test_the_matrix_made_enough_requests():
    """Runs after the role tests above (file order), which share one count."""
    assert SENT["requests"] >= MINIMUM_REQUESTS, f"the matrix made only {SENT['requests']} requests"


# The write matrix (write_matrix.py) runs in this module, after the read
# matrix: test.sh hands a module to one pytest-xdist worker, so the write
# matrix finds in REFUSED_GETS what every GET was answered instead of
# sending each one again (most of its time, measured: 62 of 73 s for the
# department head).
from tests.access_matrix.write_matrix import (  # noqa: E402
    test_the_write_matrix_knows_which_views_take_post,
    test_write_matrix,
)

if findings.WRITE:
    from tests.access_matrix.write_matrix import test_write_matrix_known_finding  # noqa: E402, F401
