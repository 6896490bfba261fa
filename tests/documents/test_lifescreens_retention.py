"""The retention screens (R-CTRL-7): register lines due for disposal (3
years after voiding, 1 year after a time-limited document lapses, the
policy's values named on the page), proposed by the archivist on a purge
list the department head approves after a confirmation or refuses with a
reason, never their own; the certificate linked once approved; constant
queries."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import selectors
from documents.models import ControlledCopy, CopyState, DocumentsPolicy, DocumentState, PurgeState, RegisterPurge
from documents.services.retention import purge_propose
from tests.conftest import speak_english
from tests.documents.support import fresh, make_copy, make_document
from tests.factories import UserFactory
from tests.query_counts import queries_for

pytestmark = pytest.mark.django_db
RETENTION = "/documents/retention/"


def _years_ago(years, days=0):
    return timezone.now() - datetime.timedelta(days=365 * years + days)


@pytest.fixture
def lines(private_storage, archivist):
    """Two lines of a document void four years ago (due), one of a document
    void a year ago (kept), one of a time-limited document lapsed two years
    ago (due)."""
    old = make_document(state=DocumentState.VOID, marked_by=archivist, title="旧规定", ended_at=_years_ago(4))
    recent = make_document(state=DocumentState.VOID, marked_by=archivist, title="近期作废", ended_at=_years_ago(1))
    lapsed = make_document(
        state=DocumentState.LAPSED, marked_by=archivist, title="限时通知",
        valid_until=timezone.localdate() - datetime.timedelta(days=800), ended_at=_years_ago(2),
    )
    return {
        "old": [make_copy(old, state=CopyState.DESTROYED), make_copy(old, state=CopyState.REFERENCE)],
        "recent": [make_copy(recent, state=CopyState.DESTROYED)],
        "lapsed": [make_copy(lapsed, state=CopyState.LAPSED)],
    }


def test_the_retention_url_is_the_spec_s():
    assert reverse("documents_retention") == RETENTION


def test_lines_due_for_disposal_and_the_policy_in_words_R_CTRL_7(client, archivist, lines):
    client.force_login(archivist)
    speak_english(client)
    page = client.get(RETENTION).content.decode()
    for line in [*lines["old"], *lines["lapsed"]]:
        assert f'data-line="{line.pk}"' in page
    assert f'data-line="{lines["recent"][0].pk}"' not in page
    assert "kept 3 years after it is voided" in page
    assert "1 year after it lapses" in page
    assert "Propose the ticked lines" in page


def test_the_page_follows_the_policy_values_R_CTRL_7(client, archivist, lines):
    policy = DocumentsPolicy.current()
    policy.register_retention_after_void_years = 5
    policy.save()
    client.force_login(archivist)
    speak_english(client)
    page = client.get(RETENTION).content.decode()
    assert "kept 5 years after it is voided" in page
    assert not any(f'data-line="{line.pk}"' in page for line in lines["old"])


def test_the_archivist_proposes_the_ticked_lines(client, archivist, lines):
    client.force_login(archivist)
    chosen = lines["old"][0]
    response = client.post(RETENTION, {"lines": [chosen.pk]})
    purge = RegisterPurge.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents_purge_detail", args=[purge.pk])
    assert list(purge.proposed_lines.all()) == [chosen]
    assert purge.state == PurgeState.PROPOSED and purge.proposed_by == archivist
    page = client.get(RETENTION).content.decode()
    assert f'data-line="{chosen.pk}"' not in page  # in a list awaiting the head
    assert f'data-purge="{purge.pk}"' in page


def test_the_archivist_proposes_every_line_due(client, archivist, lines):
    client.force_login(archivist)
    client.post(RETENTION, {"every": "1"})
    purge = RegisterPurge.objects.get()
    assert set(purge.proposed_lines.all()) == {*lines["old"], *lines["lapsed"]}


def test_proposing_nothing_or_a_line_not_due_changes_nothing(client, archivist, lines):
    client.force_login(archivist)
    response = client.post(RETENTION, {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    speak_english(client)
    recent = lines["recent"][0]
    response = client.post(RETENTION, {"lines": [recent.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["lines"] == [
        f"These register lines are not due for disposal: {recent.control_number}."]
    assert recent.control_number in response.content.decode()
    assert not RegisterPurge.objects.exists()


def test_the_head_reads_but_does_not_propose(client, department_head, staff, lines):
    client.force_login(department_head)
    speak_english(client)
    page = client.get(RETENTION).content.decode()
    assert f'data-line="{lines["old"][0].pk}"' in page and "Propose the ticked lines" not in page
    assert client.post(RETENTION, {"every": "1"}).status_code == 403
    assert not RegisterPurge.objects.exists()
    client.force_login(staff)
    assert client.get(RETENTION).status_code == 403


@pytest.fixture
def purge(lines, archivist):
    return purge_propose(by=archivist, lines=lines["old"])


def _detail(purge):
    return reverse("documents_purge_detail", args=[purge.pk])


def test_the_head_approves_after_a_confirmation_and_the_certificate_is_linked_R_CTRL_7(client, department_head, purge):
    client.force_login(department_head)
    speak_english(client)
    page = client.get(_detail(purge)).content.decode()
    assert "2 register lines leave the distribution register for good" in page
    assert "/certificate/" not in page
    response = client.post(_detail(purge), {"decision": "approve"}, follow=True)
    page = response.content.decode()
    certificate_url = f"/documents/purges/{purge.pk}/certificate/?format=pdf"
    assert certificate_url in page
    certificate = client.get(certificate_url)
    assert certificate.status_code == 200 and certificate["Content-Type"] == "application/pdf"
    purge = fresh(purge)
    assert purge.state == PurgeState.APPROVED and purge.decided_by == department_head
    assert set(ControlledCopy.objects.filter(purge=purge)) == set(purge.proposed_lines.all())
    assert ControlledCopy.objects.count() == 4  # nothing deleted


def test_the_head_refuses_with_a_reason_R_CTRL_7(client, department_head, purge):
    client.force_login(department_head)
    response = client.post(_detail(purge), {"decision": "refuse", "reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert fresh(purge).state == PurgeState.PROPOSED
    client.post(_detail(purge), {"decision": "refuse", "reason": "仍需备查"})
    purge = fresh(purge)
    assert purge.state == PurgeState.REFUSED and purge.refusal_reason == "仍需备查"
    assert not ControlledCopy.objects.filter(purge__isnull=False).exists()


def test_nobody_decides_their_own_proposal_R_CTRL_7(client, department_head, lines):
    """A head who also proposed (here written directly) may not approve it."""
    own = RegisterPurge.objects.create(number="QC-OWN", proposed_by=department_head, proposed_at=timezone.now())
    own.proposed_lines.set(lines["old"])
    client.force_login(department_head)
    speak_english(client)
    page = client.get(_detail(own)).content.decode()
    assert 'value="approve"' not in page and "nobody decides their own proposal" in page
    response = client.post(_detail(own), {"decision": "approve"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert fresh(own).state == PurgeState.PROPOSED
    assert not ControlledCopy.objects.filter(purge__isnull=False).exists()


@pytest.mark.parametrize("who", ["archivist", "staff"])
def test_only_the_head_decides(client, request, purge, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(_detail(purge), {"decision": "approve"})
    assert response.status_code == 403
    assert fresh(purge).state == PurgeState.PROPOSED
    assert client.put(RETENTION).status_code in (403, 405)


def _many_due_lines(archivist, documents, per_document):
    now, ended = timezone.now(), _years_ago(4)
    for _number in range(documents):
        document = make_document(state=DocumentState.VOID, marked_by=archivist, ended_at=ended)
        holders = UserFactory.create_batch(per_document)
        ControlledCopy.objects.bulk_create(
            ControlledCopy(
                document=document, copy_number=index + 1, control_number=f"R-{document.pk}-{index + 1}",
                recipient_user=holder, holder=holder, state=CopyState.DESTROYED, issued_by=archivist, issued_at=now,
                remark="2022-01-01 收回\n2022-01-02 已销毁",
            )
            for index, holder in enumerate(holders)
        )
    return selectors.lines_due_for_disposal().order_by("pk")


def test_retention_and_purge_pages_queries_do_not_grow_with_rows(client, archivist, private_storage):
    client.force_login(archivist)
    lines = _many_due_lines(archivist, 2, 5)
    first = purge_propose(by=archivist, lines=list(lines[:4]))
    few = queries_for(client, RETENTION), queries_for(client, _detail(first))
    lines = _many_due_lines(archivist, 10, 100)
    many_purge = purge_propose(by=archivist, lines=list(lines[:300]))
    for line in list(lines[300:305]):
        purge_propose(by=archivist, lines=[line])
    many = queries_for(client, RETENTION), queries_for(client, _detail(many_purge))
    assert few == many
    assert ControlledCopy.objects.count() == 1010
