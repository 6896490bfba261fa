"""The record page says a record is frozen (issue 12: holds show on the
record page): everyone who sees the record learns that it is frozen; who
froze it, when, why and until when only those who may see holds."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import SecurityLevel
from records.services import hold_place, hold_release, holds_place

FROZEN = "此档案已冻结"


@pytest.fixture
def record(filed_record):
    return filed_record(title="华东区代理商协议", security_level=SecurityLevel.PUBLIC)


def page(client, user, record):
    client.force_login(user)
    return client.get(reverse("record_detail", args=[record.pk])).content.decode()


def test_the_head_sees_who_froze_the_record_why_and_until_when(client, department_head, record):
    ends = timezone.localdate() + datetime.timedelta(days=90)
    holds_place(records=[record], by=department_head, reason="合同纠纷诉讼中", ends_on=ends, scope="HT·2024")
    text = page(client, department_head, record)
    assert FROZEN in text
    assert "合同纠纷诉讼中" in text and "HT·2024" in text
    assert department_head.display_name in text and ends.strftime("%Y-%m-%d") in text


def test_staff_learn_that_it_is_frozen_but_not_why(client, staff, department_head, record):
    hold_place(record=record, by=department_head, reason="合同纠纷诉讼中")
    text = page(client, staff, record)
    assert FROZEN in text
    assert "合同纠纷诉讼中" not in text


def test_a_released_hold_or_one_past_its_end_no_longer_shows(client, department_head, record):
    hold = hold_place(record=record, by=department_head, reason="合同纠纷诉讼中")
    assert FROZEN in page(client, department_head, record)
    hold_release(hold=hold, by=department_head, reason="诉讼已结案")
    assert FROZEN not in page(client, department_head, record)
    from records.models import Hold

    # A hold whose end date has passed no longer freezes (records.models.Hold).
    lapsed = hold_place(record=record, by=department_head, reason="审计期间")
    Hold.objects.filter(pk=lapsed.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    text = page(client, department_head, record)
    assert FROZEN not in text and "审计期间" not in text


def test_the_back_office_filter_in_force_leaves_out_a_hold_past_its_end(client, department_head, record):
    from records.models import Hold
    from tests.admin_support import admin_url

    in_force = hold_place(record=record, by=department_head, reason="诉讼中")
    lapsed = hold_place(record=record, by=department_head, reason="审计期间")
    Hold.objects.filter(pk=lapsed.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(department_head)
    shown = {
        state: client.get(admin_url(Hold, "changelist") + f"?state={state}").context["cl"].result_list
        for state in ("open", "lapsed")
    }
    assert [hold.pk for hold in shown["open"]] == [in_force.pk]
    assert [hold.pk for hold in shown["lapsed"]] == [lapsed.pk]
