"""The holds screens (disposal.views_holds, issue 12 point 4): the department
head and leadership freeze one record, a class and year, or the records of
a client or a contract, seeing first how many and which; release a hold
with a reason. Who may is records.policies; the rules of a hold (reason,
end date) are records.services.holds'."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from clients.models import Client
from disposal.forms_holds import RecordHoldForm
from records import policies
from records.history import ChangeReason
from records.models import Hold, Record, RecordStatus, SecurityLevel
from records.services.holds import hold_place
from tests.contracts.ledger_support import make_contract
from tests.factories import RecordFactory, category, marketing_department
from tests.conftest import speak_english
from tests.query_counts import queries_for

PLACE_RECORD = "disposal_hold_place_record"
PLACE_CLASS = "disposal_hold_place_class"
PLACE_SCOPE = "disposal_hold_place_scope"
PLACE_URLS = (PLACE_RECORD, PLACE_CLASS, PLACE_SCOPE)
TODAY = timezone.localdate


@pytest.fixture
def head_client(client, department_head):
    client.force_login(department_head)
    speak_english(client)
    return client


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def terms(**extra):
    return {"reason": "合同纠纷诉讼", "ends_on": "", **extra}


def confirm(client, url_name, data):
    """Check, then confirm with the count the check showed."""
    checked = client.post(reverse(url_name), {**data, "check": "1"})
    assert checked.status_code == 200
    count = checked.context["count"]
    return client.post(reverse(url_name), {**data, "confirm": "1", "expected": str(count)}), count


def holds_state():
    return list(Hold.objects.order_by("pk").values()), Hold.history.count()


def assert_frozen(records, by, *, scope=""):
    """Each record has exactly one hold, placed by `by` with the reason, and
    a history row saying who froze it and why."""
    holds = Hold.objects.filter(record__in=records)
    assert sorted(holds.values_list("record_id", flat=True)) == sorted(record.pk for record in records)
    assert Hold.objects.count() == len(records)
    for hold in holds:
        assert (hold.placed_by, hold.reason, hold.scope, hold.is_active) == (by, "合同纠纷诉讼", scope, True)
        history = hold.history.get()
        assert (history.history_user, history.history_change_reason) == (by, ChangeReason.HOLD_PLACED)


# --- placing, by each scope ---------------------------------------------------


def test_one_record_by_its_archive_number(head_client, department_head, filed_record):
    record, _other = filed_record(title="争议合同"), filed_record(title="无关")

    response, count = confirm(head_client, PLACE_RECORD, terms(archive_number=record.archive_number))

    assert count == 1
    assert response.status_code == 302 and response["Location"] == reverse("disposal_holds")
    assert_frozen([record], department_head)


def test_a_class_with_its_sub_classes_and_a_year(head_client, department_head, filed_record):
    held = [
        filed_record(category=category("HTDL"), year=2023),
        filed_record(category=category("HTPS"), year=2023),
        filed_record(category=category("HT"), year=2023),
    ]
    filed_record(category=category("HTDL"), year=2024)  # another year
    filed_record(category=category("XCCS"), year=2023)  # another class
    gone = filed_record(category=category("HTDL"), year=2023)
    Record.objects.filter(pk=gone.pk).update(status=RecordStatus.DESTROYED)  # nothing left to freeze

    response, count = confirm(head_client, PLACE_CLASS, terms(category=category("HT").pk, year=2023))

    assert count == 3 and response.status_code == 302
    assert_frozen(held, department_head, scope="HT·2023")


def test_the_records_of_a_client(head_client, department_head, archivist, filed_record):
    client_file = Client.objects.create(name="争议客户", client_type="agent")
    linked = filed_record(title="客户资料")
    client_file.records.add(linked)
    contract = make_contract(archivist, "HT-CLIENT", counterparty=client_file)
    filed_record(title="无关")

    response, count = confirm(head_client, PLACE_SCOPE, terms(target=f"client:{client_file.pk}"))

    assert count == 2 and response.status_code == 302
    assert_frozen([linked, contract.record], department_head, scope=f"Client: {client_file.code} 争议客户")


def test_the_records_of_a_contract(head_client, department_head, archivist, filed_record):
    review = filed_record(title="合同评审", category=category("HTPS"))
    contract = make_contract(archivist, "HT-77", review_record=review, counterparty_name="某公司")
    make_contract(archivist, "HT-78")

    response, count = confirm(head_client, PLACE_SCOPE, terms(target=f"contract:{contract.pk}"))

    assert count == 2 and response.status_code == 302
    assert_frozen([contract.record, review], department_head, scope="Contract: HT-77 某公司")


def test_leadership_places_holds_too(client, leadership, filed_record):
    record = filed_record()
    client.force_login(leadership)
    speak_english(client)

    confirm(client, PLACE_RECORD, terms(archive_number=record.archive_number))

    assert_frozen([record], leadership)


# --- the confirmation ---------------------------------------------------------


def test_the_confirmation_shows_how_many_and_which_and_writes_nothing(head_client, filed_record):
    for index in range(53):
        filed_record(title=f"待冻结{index:02d}", category=category("HTDL"), year=2022)
    before = holds_state()

    response = head_client.post(reverse(PLACE_CLASS), terms(category=category("HTDL").pk, year=2022, check="1"))

    page = response.content.decode()
    assert response.context["count"] == 53
    assert 'data-count="53"' in page and "53 records will be frozen" in page
    assert page.count("data-record=") == 50 and "… and 3 more records." in page
    assert "合同纠纷诉讼" in page and 'name="expected" value="53"' in page
    assert holds_state() == before


def test_records_changed_since_the_check_are_shown_again_and_nothing_is_written(head_client, filed_record):
    filed_record(year=2022)
    data = terms(category=category("HTDL").pk, year=2022)
    head_client.post(reverse(PLACE_CLASS), {**data, "check": "1"})
    filed_record(year=2022)  # a record filed meanwhile
    before = holds_state()

    response = head_client.post(reverse(PLACE_CLASS), {**data, "confirm": "1", "expected": "1"})

    assert response.status_code == 200 and response.context["count"] == 2
    assert "The records changed since you checked them" in response.content.decode()
    assert holds_state() == before


def test_back_to_the_form_keeps_what_was_entered(head_client, filed_record):
    record = filed_record()

    response = head_client.post(reverse(PLACE_RECORD), terms(archive_number=record.archive_number, edit="1"))

    assert response.templates[0].name == "disposal/holds_place.html"
    assert 'value="合同纠纷诉讼"' in response.content.decode() or "合同纠纷诉讼</textarea>" in response.content.decode()
    assert not Hold.objects.exists()


# --- refusals -----------------------------------------------------------------


def test_an_end_date_in_the_past_is_refused(head_client, filed_record):
    record = filed_record()
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()

    response = head_client.post(
        reverse(PLACE_RECORD),
        terms(archive_number=record.archive_number, ends_on=yesterday, confirm="1", expected="1"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["A hold cannot end in the past."]
    assert not Hold.objects.exists() and not Hold.history.exists()


def test_an_end_date_from_today_on_is_kept(head_client, department_head, filed_record):
    record = filed_record()

    confirm(head_client, PLACE_RECORD, terms(archive_number=record.archive_number, ends_on=TODAY().isoformat()))

    assert Hold.objects.get(record=record).ends_on == TODAY()


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize("url_name", PLACE_URLS)
def test_an_empty_reason_is_refused(head_client, filed_record, archivist, url_name, reason):
    record = filed_record()
    contract = make_contract(archivist, "HT-EMPTY")
    data = {
        PLACE_RECORD: {"archive_number": record.archive_number},
        PLACE_CLASS: {"category": category("HTDL").pk, "year": 2024},
        PLACE_SCOPE: {"target": f"contract:{contract.pk}"},
    }[url_name]

    response = head_client.post(reverse(url_name), {**data, "reason": reason, "confirm": "1", "expected": "1"})

    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not Hold.objects.exists()


def test_a_record_the_user_may_not_see_is_like_no_record(staff, filed_record):
    """Only reachable by someone who may place holds and still not see a
    record: a number nobody has and a hidden one read the same."""
    hidden = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    form = RecordHoldForm(terms(archive_number=hidden.archive_number), user=staff)

    assert not form.is_valid()
    assert form.errors["archive_number"] == [f"No record you may see has the archive number {hidden.archive_number}."]


def test_a_client_or_contract_the_user_may_not_pick_is_refused(head_client, archivist):
    """A forged choice (a value not among the user's choices) changes nothing."""
    response = head_client.post(reverse(PLACE_SCOPE), terms(target="client:999999", confirm="1", expected="1"))

    assert "target" in response.context["form"].errors
    assert not Hold.objects.exists()


def test_a_destroyed_record_is_refused_with_its_archive_number(head_client, filed_record):
    record = filed_record()
    Record.objects.filter(pk=record.pk).update(status=RecordStatus.DESTROYED)

    response, _count = confirm(head_client, PLACE_RECORD, terms(archive_number=record.archive_number))

    assert response.status_code == 200
    assert record.archive_number in " ".join(response.context["form"].non_field_errors())
    assert not Hold.objects.exists()


ROLES = [Role.STAFF, Role.OUTSIDE_STAFF, Role.ARCHIVIST, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.SYSADMIN]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
def test_who_may_place_holds_is_the_policys(client, role_users, role, filed_record):
    user = role_users[role]
    allowed = policies.may_place_hold(user)
    record = filed_record()
    client.force_login(user)

    pages = [client.get(reverse(name)).status_code for name in (*PLACE_URLS, "disposal_holds")]
    response = client.post(
        reverse(PLACE_RECORD), terms(archive_number=record.archive_number, confirm="1", expected="1")
    )

    assert pages == ([200] * 4 if allowed else [403] * 4)
    assert Hold.objects.exists() == allowed
    assert response.status_code == (302 if allowed else 403)


def test_staff_may_not_place_or_release_holds(staff, archivist):
    """What issue 12 says: the department head or leadership."""
    assert not policies.may_place_hold(staff) and not policies.may_release_hold(staff)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("disposal_holds"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wrong_methods_are_refused(head_client, filed_record, department_head):
    hold = hold_place(record=filed_record(), by=department_head, reason="纠纷")
    assert head_client.post(reverse("disposal_holds")).status_code == 405
    assert head_client.delete(reverse(PLACE_RECORD)).status_code == 405
    assert head_client.put(reverse("disposal_hold_release", args=[hold.pk])).status_code == 405


# --- release ------------------------------------------------------------------


def test_a_hold_is_released_with_a_reason(head_client, department_head, leadership, filed_record):
    record = filed_record()
    hold = hold_place(record=record, by=leadership, reason="审计")
    page = head_client.get(reverse("disposal_hold_release", args=[hold.pk])).content.decode()
    assert "审计" in page and record.archive_number in page

    response = head_client.post(reverse("disposal_hold_release", args=[hold.pk]), {"release_reason": "审计结束"})

    assert response.status_code == 302 and response["Location"] == reverse("disposal_holds")
    hold.refresh_from_db()
    assert (hold.released_by, hold.release_reason, hold.is_active) == (department_head, "审计结束", False)
    latest = hold.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (department_head, ChangeReason.HOLD_RELEASED)


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_release_without_a_reason_is_refused(head_client, department_head, filed_record, reason):
    hold = hold_place(record=filed_record(), by=department_head, reason="审计")
    before = holds_state()

    response = head_client.post(reverse("disposal_hold_release", args=[hold.pk]), {"release_reason": reason})

    assert response.status_code == 200 and "release_reason" in response.context["form"].errors
    assert holds_state() == before


def test_a_hold_released_already_is_refused(head_client, department_head, filed_record):
    hold = hold_place(record=filed_record(), by=department_head, reason="审计")
    head_client.post(reverse("disposal_hold_release", args=[hold.pk]), {"release_reason": "结束"})
    before = holds_state()

    response = head_client.post(reverse("disposal_hold_release", args=[hold.pk]), {"release_reason": "再次"})

    assert "This hold was already released on" in " ".join(response.context["form"].non_field_errors())
    assert "This hold is released already." in response.content.decode()
    assert holds_state() == before


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
def test_who_may_release_is_the_policys(client, role_users, role, department_head, filed_record):
    user = role_users[role]
    allowed = policies.may_release_hold(user)
    hold = hold_place(record=filed_record(), by=department_head, reason="审计")
    client.force_login(user)

    response = client.post(reverse("disposal_hold_release", args=[hold.pk]), {"release_reason": "结束"})

    assert response.status_code == (302 if allowed else 403)
    hold.refresh_from_db()
    assert hold.is_released == allowed


# --- the list -----------------------------------------------------------------


def test_the_list_filters_holds_in_force_past_their_end_released_and_all(head_client, department_head, filed_record):
    records = [filed_record(title=f"冻结档案{index}") for index in range(3)]
    in_force = hold_place(record=records[0], by=department_head, reason="纠纷在办")
    ended = hold_place(record=records[1], by=department_head, reason="审计到期", ends_on=TODAY())
    Hold.objects.filter(pk=ended.pk).update(ends_on=TODAY() - datetime.timedelta(days=1))
    released = hold_place(record=records[2], by=department_head, reason="已了结")
    head_client.post(reverse("disposal_hold_release", args=[released.pk]), {"release_reason": "诉讼结束"})

    def shown(**query):
        return [hold.pk for hold in head_client.get(reverse("disposal_holds"), query).context["holds"]]

    assert shown() == shown(state="active") == [in_force.pk]
    assert shown(state="ended") == [ended.pk]
    assert shown(state="released") == [released.pk]
    assert shown(state="all") == [released.pk, ended.pk, in_force.pk]
    assert shown(state="all", q="审计") == [ended.pk]
    assert shown(state="all", q=records[2].archive_number) == [released.pk]
    page = head_client.get(reverse("disposal_holds"), {"state": "all"}).content.decode()
    assert "诉讼结束" in page and "Past its end date" in page
    assert page.count('href="/disposal/holds/') >= 2  # release links of the two not released


def _many_holds(count, placed_by, released_by, *, first=0):
    """`count` holds, each on its own record, half of them released: built
    in bulk (their history is not what this measures)."""
    now = timezone.now()
    # The factory's class and department, looked up once rather than for each record.
    shared = {"category": category(), "department": marketing_department()}
    records = Record.objects.bulk_create(
        RecordFactory.build(status=RecordStatus.FILED, archive_number=f"MX-{index:05d}", filed_at=now, **shared)
        for index in range(first, first + count)
    )
    Hold.objects.bulk_create(
        Hold(
            record=record, reason=f"纠纷{index}", placed_by=placed_by, placed_at=now, scope="HT·2024",
            **({"released_by": released_by, "released_at": now, "release_reason": "结束"} if index % 2 else {}),
        )
        for index, record in enumerate(records)
    )


@pytest.mark.parametrize("query", [{}, {"state": "all"}, {"state": "all", "q": "MX-0"}])
def test_the_list_runs_the_same_queries_at_10_and_1000_holds(head_client, department_head, leadership, query):
    url = f"{reverse('disposal_holds')}?{'&'.join(f'{key}={value}' for key, value in query.items())}"
    _many_holds(10, leadership, department_head)
    head_client.get(url)  # the first request of a session reads more (the session, the language)
    at_10 = queries_for(head_client, url)
    _many_holds(990, leadership, department_head, first=10)
    at_1000 = queries_for(head_client, url)
    assert at_10 == at_1000


def test_the_navigation_offers_holds_to_those_who_may_place_them(client, role_users):
    for role, user in role_users.items():
        client.force_login(user)
        nav = client.get(reverse("home")).content.decode().split('class="main-nav"')[1].split("</nav>")[0]
        assert (f'href="{reverse("disposal_holds")}"' in nav) == policies.may_place_hold(user), role
