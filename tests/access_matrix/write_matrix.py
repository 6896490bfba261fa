"""The write matrix: every URL whose view takes POST, posted with a
plausible body (bodies.py) by every user who must not perform it, over the
matrix's world. Nothing may change: the row count and newest row of every
table (a change to a model with history adds a history row) and every row
of the models that change without one are compared before and after
(support.snapshot), the access logs included. The response is no server
error, shows nothing the user may not see, and, where the matrix knows the
page is refused, is a refusal too.

"Must not" is decided conservatively: anonymous, always; a signed-in user
when the GET of the same URL is refused (403, 404 or sent to sign in), or,
for a view that takes only POST, the GET of the page in front of it
(bodies.GATES); and the few cases a rule decides (RULES)."""
import pytest
from django.urls import resolve, reverse

from accounts.models import Notice
from clients.policies import may_see_personal_data
from lending.models import LoanRequest
from tests.access_matrix import findings
from tests.access_matrix.bodies import GATES, body_for
from tests.access_matrix.expectations import (
    PUBLIC,
    MatrixFailures,
    assert_no_failures,
    is_refused,
    leaks,
    refusal_of,
    response_text,
    secrets_for,
)
from tests.access_matrix.patterns import concrete_pages
from tests.access_matrix.support import (
    MATRIX_ROLES,
    REFUSED_GETS,
    accepts_post,
    changes_during,
    role_id,
    send,
    sign_in,
    username,
)


def _not_requester(user, kwargs):
    if LoanRequest.objects.get(pk=kwargs["pk"]).requester_id != user.pk:
        return "only the requester cancels a request"
    return None


def _not_addressee(user, kwargs):
    if Notice.objects.get(pk=kwargs["pk"]).user_id != user.pk:
        return "a notice is read by the person it is for"
    return None


def _masked_only(user, kwargs):
    if not may_see_personal_data(user):
        return "clients.policies.may_see_personal_data is false"
    return None


# Actions refused by a rule the matrix can read off the objects: URL name ->
# (user, URL kwargs) -> why the user must not, or None.
RULES = {
    "client_unmask": _masked_only,
    "lending_request_cancel": _not_requester,
    "notice_read": _not_addressee,
}


def post_pages(world):
    """The pages whose view takes POST (each once, without a query)."""
    return [page for page in concrete_pages(world)[0] if accepts_post(page.pattern.callback) and not page.has_query]


def _gate(page):
    """(URL, page key) of the GET that decides whether a user may POST to
    `page`: the page itself, or for a view that takes only POST, the page
    in front of it (bodies.GATES)."""
    if page.pattern.name not in GATES:
        return page.url, page.key
    gate, same_parameters = GATES[page.pattern.name]
    if same_parameters:
        return reverse(gate, kwargs=resolve(page.url).kwargs), (gate, page.variant)
    return reverse(gate), (gate, "")


def _refused_get(client, user, url, key):
    """The status of a refused GET of `url` by `user` (as the read matrix
    found it, when it ran), or None."""
    if (username(user), key) not in REFUSED_GETS:
        response, error = send(client, "get", url)
        REFUSED_GETS[username(user), key] = None if error else refusal_of(response)
    return REFUSED_GETS[username(user), key]


def must_not(client, user, page):
    """(why `user` must not POST to `page`, whether the POST must answer
    with a refusal), or (None, False) when the matrix cannot tell."""
    if not user.is_authenticated:
        return "anonymous", page.pattern.name not in PUBLIC
    rule = RULES.get(page.pattern.name)
    why = rule(user, resolve(page.url).kwargs) if rule else None
    if why:
        return why, False
    url, key = _gate(page)
    status = _refused_get(client, user, url, key)
    if status is not None:
        return f"GET {url} is refused ({status})", True
    return None, False


def attempt(client, page, world, secrets, expect_refusal):
    """Failures of one POST that must change nothing. The state is taken
    right before it: the GETs deciding "must not" may log an access."""
    (response, error), changed = changes_during(lambda: send(client, "post", page.url, body_for(page, world)))
    failures = [f"{page.label}: changed {', '.join(changed)}"] if changed else []
    if error:
        return [*failures, f"{page.label}: {error}"]
    if response.status_code >= 500:
        failures.append(f"{page.label}: server error {response.status_code}")
    elif expect_refusal and not is_refused(response):
        failures.append(f"{page.label}: answered {response.status_code}, not a refusal")
    text = response_text(response)
    failures.extend(f"{page.label}: shows the {why}" for why in leaks(text, secrets))
    return failures


def _write(client, user, pages, world):
    """(failures, how many POSTs were tried)."""
    secrets = secrets_for(user, world)
    failures, tried = [], 0
    for page in pages:
        why, expect_refusal = must_not(client, user, page)
        if why is None:
            continue
        page_failures = attempt(client, page, world, secrets, expect_refusal)
        failures.extend(f"{line} ({why})" for line in page_failures)
        tried += 1
    return failures, tried


@pytest.mark.parametrize("role", MATRIX_ROLES, ids=role_id)
def test_write_matrix(role, world, client):
    user = sign_in(client, world, role)
    pages = [page for page in post_pages(world) if (role, page.pattern.name) not in findings.WRITE]
    failures, tried = _write(client, user, pages, world)
    assert tried, f"{role_id(role)} was refused nothing: the matrix decides nothing"
    assert_no_failures(f"{role_id(role)} posting to {tried} of {len(pages)} URLs", failures)


if findings.WRITE:  # defined while findings.WRITE lists cases (an empty parametrize is a skip)

    @pytest.mark.parametrize(
        "role, name",
        [
            pytest.param(
                role, name, id=f"{role_id(role)}-{name}",
                marks=pytest.mark.xfail(strict=True, raises=MatrixFailures, reason=reason),
            )
            for (role, name), reason in findings.WRITE.items()
        ],
    )
    def test_write_matrix_known_finding(role, name, world, client):
        """The cases of findings.WRITE, each expected to fail until the code is fixed."""
        user = sign_in(client, world, role)
        pages = [page for page in post_pages(world) if page.pattern.name == name]
        assert pages, f"{name} is no longer a URL of the site: remove it from findings.WRITE"
        failures, _tried = _write(client, user, pages, world)
        assert_no_failures(f"{role_id(role)} posting to {name}", failures)


def test_the_write_matrix_knows_which_views_take_post(world):
    """The list of URLs taking POST is not empty by accident: the portal's
    actions and the admin's pages are all in it."""
    names = {page.pattern.name for page in post_pages(world)}
    assert {"submission_submit", "client_unmask", "lending_hand_out", "admin:records_record_change"} <= names
    assert "record_detail" not in names  # require_safe: GET and HEAD only
