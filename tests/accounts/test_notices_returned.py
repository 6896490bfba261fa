"""A returned submission tells its submitter (issue 16, R-FILE-3): a notice
and a mail with the archivist's reason and a link to the item's edit page;
submitting it again settles the notice. Before, the submitter heard
nothing and found the item on page 2 of 我的提交."""
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Notice
from accounts.notices import unread_count
from records import services
from records.exceptions import RecordActionRefused
from records.models import RecordStatus
from tests.conftest import speak_english
from tests.records.test_filing_services import submitted


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_submitter_is_told_why_and_where_to_fix_it(client, staff, archivist, run_jobs):
    staff.email = "staff@example.com"
    staff.save()
    record = submitted(staff, title="年度市场报告")
    client.force_login(archivist)
    speak_english(client)
    response = client.post(reverse("record_return", args=[record.pk]), {"reason": "缺少签字页"})
    assert response.status_code == 302
    [notice] = Notice.objects.filter(user=staff)
    assert notice.text == (
        f"{archivist.display_name} returned «年度市场报告»; please correct it and submit it again. Reason: 缺少签字页"
    )
    assert notice.url == reverse("submission_edit", args=[record.pk]) and notice.read_at is None
    assert not Notice.objects.exclude(user=staff).exists()
    assert run_jobs() == 1
    [message] = mail.outbox
    assert message.to == ["staff@example.com"] and "缺少签字页" in message.body
    assert reverse("submission_edit", args=[record.pk]) in message.body


def test_the_notice_shows_in_the_submitters_counter(client, staff, archivist):
    record = submitted(staff)
    services.record_return(record=record, by=archivist, reason="分类号有误")
    client.force_login(staff)
    response = client.get(reverse("notice_list"))
    assert response.context["notices_nav"].unread == 1
    assert "分类号有误" in response.content.decode()


def test_submitting_it_again_settles_the_notice(staff, archivist):
    record = submitted(staff)
    services.record_return(record=record, by=archivist, reason="分类号有误")
    assert unread_count(staff) == 1
    record = services.record_submit(record=record, by=staff)
    assert record.status == RecordStatus.SUBMITTED and unread_count(staff) == 0


def test_a_refused_return_tells_nobody(staff, archivist):
    record = submitted(staff)
    with pytest.raises(RecordActionRefused):
        services.record_return(record=record, by=archivist, reason="   ")
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED and not Notice.objects.exists()
