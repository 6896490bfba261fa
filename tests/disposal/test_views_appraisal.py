"""The year-end appraisal page (R-DISP-2): what is due by class and year,
what cannot be disposed of shown apart with why, records put on a new or
an open list with a proposal; who may open it; refusals shown on the form
with nothing changed; the page in constant queries at 10 and 1,000 due
records."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from disposal.models import DisposalList, ItemAction, ListState
from records.models import AccessLog, RecordStatus, SecurityLevel
from records.services import hold_place, record_check_out
from tests.disposal.support import DUE, YEAR, draft, due_record, state
from tests.disposal.views_support import EVERY_ROLE, shown_messages, signed_in, text_of
from tests.query_counts import count_queries

URL = reverse("disposal_appraisal")


def page(year=YEAR, **query):
    return f"{URL}?year={year}" + "".join(f"&{key}={value}" for key, value in query.items())


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_r_disp_2_only_the_archivist_opens_the_appraisal(client, role_users, role):
    response = signed_in(client, role_users[role]).get(page())
    assert response.status_code == (200 if role == Role.ARCHIVIST else 403)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(page())
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, archivist, method):
    assert getattr(signed_in(client, archivist), method)(page()).status_code == 405


def test_r_disp_2_due_records_by_class_and_year_and_the_kept_ones_apart_with_why(
    client, archivist, department_head, filed_record
):
    due = due_record(filed_record, title="到期合同甲", copies=2)
    held = due_record(filed_record, title="冻结合同乙")
    hold_place(record=held, by=department_head, reason="合同纠纷")
    lent = due_record(filed_record, title="借出合同丙")
    record_check_out(record=lent, reason="借阅", by=archivist)
    listed = due_record(filed_record, title="已列入合同丁")
    other = draft(archivist, [listed])
    not_due = filed_record(title="未到期合同戊", year=2020, retention_years=30)

    body = text_of(signed_in(client, archivist).get(page()))
    listable = body.split('class="data-table appraisal-listable"')[1].split("</table>")[0]
    kept = body.split('class="data-table appraisal-kept"')[1].split("</table>")[0]
    assert "到期合同甲" in listable and f'value="{due.pk}"' in listable
    assert "冻结合同乙" not in listable and "借出合同丙" not in listable and "已列入合同丁" not in listable
    assert "合同纠纷" in kept and "on loan" in kept and f"already on list {other.number}" in kept
    assert "未到期合同戊" not in body
    assert 'data-due="4" data-listable="1" data-kept="3"' in body
    group = f"{due.category.code}-{DUE['year']}"
    assert f'data-group="{group}"' in listable
    assert f'<tr data-group="{group}"><td>{due.category.code} {due.category.name}</td><td class="num">2000</td><td class="num">4</td><td class="num">1</td><td class="num">3</td></tr>' in body


def test_r_disp_2_weeded_records_are_due_whatever_their_retention(client, archivist, filed_record):
    weeded = filed_record(title="已剔除材料", year=2024, retention_years=30)
    type(weeded).objects.filter(pk=weeded.pk).update(status=RecordStatus.WEEDED)
    body = text_of(signed_in(client, archivist).get(page()))
    assert "已剔除材料" in body.split("appraisal-listable")[1]


def test_a_year_in_the_future_is_refused_on_the_form(client, archivist, filed_record):
    due_record(filed_record, title="到期合同甲")
    next_year = timezone.localdate().year + 1
    response = signed_in(client, archivist).get(page(next_year))
    assert response.status_code == 200
    assert f"{next_year} has not ended yet" in text_of(response)
    assert "到期合同甲" not in text_of(response)


def test_r_disp_2_ticked_records_go_on_a_new_list_with_the_proposal(client, archivist, filed_record):
    first, second, third = (due_record(filed_record) for _ in range(3))
    response = signed_in(client, archivist).post(page(), {
        "scope": "selected", "records": [first.pk, third.pk], "target": "new", "action": ItemAction.EXTEND,
        "extend_years": "5", "reason": "仍有参考价值", "opinion": "建议延长", "list_opinion": "年度鉴定意见",
    })
    disposal_list = DisposalList.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("disposal_list_detail", args=[disposal_list.pk])
    assert (disposal_list.year, disposal_list.opinion, disposal_list.state) == (YEAR, "年度鉴定意见", ListState.DRAFT)
    assert sorted(disposal_list.items.values_list("record_id", "action", "extend_years", "reason", "opinion")) == [
        (first.pk, "extend", 5, "仍有参考价值", "建议延长"), (third.pk, "extend", 5, "仍有参考价值", "建议延长")
    ]
    assert shown_messages(client, response) == [f"2 records were put on list {disposal_list.number}."]


def test_r_disp_2_every_listable_record_goes_on_an_open_list(client, archivist, department_head, filed_record):
    listable = [due_record(filed_record) for _ in range(3)]
    held = due_record(filed_record)
    hold_place(record=held, by=department_head, reason="审计")
    existing = draft(archivist, [])
    response = signed_in(client, archivist).post(page(), {"scope": "all", "target": str(existing.pk), "action": "destroy"})
    assert response.status_code == 302
    assert DisposalList.objects.count() == 1
    assert set(existing.items.values_list("record_id", flat=True)) == {record.pk for record in listable}


def test_refused_proposal_shows_on_the_form_and_changes_nothing(client, archivist, filed_record):
    record = due_record(filed_record)
    before = state()
    response = signed_in(client, archivist).post(page(), {
        "scope": "selected", "records": [record.pk], "target": "new", "action": ItemAction.EXTEND, "extend_years": "5",
    })
    assert response.status_code == 200
    assert "Reason: say why the record is kept longer." in text_of(response)
    assert state() == before  # no list, no number taken


def test_a_record_held_since_the_page_was_shown_is_refused_by_its_archive_number(
    client, archivist, department_head, filed_record
):
    free, held = due_record(filed_record), due_record(filed_record)
    hold_place(record=held, by=department_head, reason="合同纠纷")
    before = state()
    response = signed_in(client, archivist).post(page(), {
        "scope": "selected", "records": [free.pk, held.pk], "target": "new", "action": "destroy",
    })
    assert response.status_code == 200
    errors = text_of(response).split('class="form-errors"')[1].split("</div>")[0]
    assert held.archive_number in errors and "合同纠纷" in errors and free.archive_number not in errors
    assert state() == before


def test_nothing_ticked_is_refused(client, archivist, filed_record):
    due_record(filed_record)
    response = signed_in(client, archivist).post(page(), {"scope": "selected", "target": "new", "action": "destroy"})
    assert "Tick the records to add" in text_of(response)
    assert not DisposalList.objects.exists()


def test_confidential_records_listed_on_the_page_are_logged(client, archivist, filed_record):
    secret = due_record(filed_record, security_level=SecurityLevel.CONFIDENTIAL)
    due_record(filed_record, security_level=SecurityLevel.INTERNAL)
    signed_in(client, archivist).get(page())
    assert list(AccessLog.objects.values_list("record_id", "action")) == [(secret.pk, "listed")]


def _due_in_bulk(count, archivist):
    """`count` due records, half of them held, made fast (no history)."""
    from records.models import Hold, Record
    from tests.factories import RecordFactory

    template = RecordFactory.build(year=DUE["year"], retention_years=DUE["retention_years"], status=RecordStatus.FILED)
    start = Record.objects.count()
    rows = []
    for number in range(count):
        record = RecordFactory.build(
            year=DUE["year"], retention_years=DUE["retention_years"], status=RecordStatus.FILED,
            category=template.category, department=template.department, item_number=start + number + 1,
            archive_number=f"BULK-{start + number + 1:06d}", filed_at=timezone.now(),
        )
        record.retention_expires_on = record.compute_retention_expiry()
        rows.append(record)
    created = Record.objects.bulk_create(rows)
    Hold.objects.bulk_create(
        Hold(record=record, reason="批量冻结", placed_by=archivist, placed_at=timezone.now()) for record in created[::2]
    )


def test_the_page_runs_the_same_queries_at_10_and_1000_due_records(client, archivist):
    signed_in(client, archivist)
    _due_in_bulk(10, archivist)
    with count_queries() as small:
        assert client.get(page()).status_code == 200
    _due_in_bulk(990, archivist)
    with count_queries() as large:
        response = client.get(page())
    assert 'data-due="1000" data-listable="500" data-kept="500"' in text_of(response)
    assert large.total == small.total, large.statements
