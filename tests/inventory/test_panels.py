"""What inventory shows on the record page and the home page
(inventory.panels): open repair and copy tasks with the overdue ones
marked (R-INV-2), write-offs (R-INV-3), stocktake differences (R-INV-1)
and the archivist's ways in; shown to the archivist and the head only,
never for a record the viewer may not see, and in a fixed number of
queries on the home page."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from inventory import services
from inventory.models import Condition, RepairKind, RepairState, RepairTask, WriteOff, WriteOffState
from inventory.panels import HOME_LIMIT
from records.models import SecurityLevel
from tests.conftest import speak_english
from tests.inventory.support import counter_without_confidential, filed_in, missing, scan, shelves
from tests.query_counts import queries_for

TODAY = timezone.localdate()


def signed_in(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def panel_of(client, url):
    """The inventory panel of the page, or None."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    if 'data-panel="inventory"' not in page:
        return None
    return _panel(page)


def _panel(page):
    rest = page.split('data-panel="inventory"')[1]
    # The panel ends where its outer section closes: the last </section> before the next panel or the page's end.
    depth, position = 1, 0
    while depth:
        opening = rest.find("<section", position)
        closing = rest.find("</section>", position)
        if opening != -1 and opening < closing:
            depth, position = depth + 1, opening + 1
        else:
            depth, position = depth - 1, closing + 1
    return rest[:position]


def section(panel, name):
    if panel is None or f'data-section="{name}"' not in panel:
        return None
    return panel.split(f'data-section="{name}"')[1].split("</section>")[0].split("</div>")[0]


def task_of(record, archivist, *, days=10, kind=RepairKind.REPAIR, state=RepairState.OPEN):
    now = timezone.now()
    return RepairTask.objects.create(
        record=record, kind=kind, due_on=TODAY + datetime.timedelta(days=days), opened_by=archivist, opened_at=now,
        state=state,
    )


def write_off_of(record, archivist, state=WriteOffState.REQUESTED):
    return WriteOff.objects.create(
        record=record, kind="loss", reason="遗失", requested_by=archivist, requested_at=timezone.now(), state=state,
    )


def record_page(record):
    return reverse("record_detail", args=[record.pk])


HOME = "/"


# -- the record page ----------------------------------------------------------------


def test_r_inv_2_the_record_page_shows_its_open_tasks_with_the_overdue_marked(client, archivist, filed_record):
    record = filed_record()
    overdue = task_of(record, archivist, days=-1)
    later = task_of(record, archivist, days=5, kind=RepairKind.COPY)
    task_of(record, archivist, state=RepairState.DONE)

    panel = panel_of(signed_in(client, archivist), record_page(record))

    tasks = section(panel, "tasks")
    assert tasks.count("data-task=") == 2
    assert "badge--overdue" in tasks.split(f'data-task="{overdue.pk}"')[1].split("</li>")[0]
    assert "badge--overdue" not in tasks.split(f'data-task="{later.pk}"')[1].split("</li>")[0]
    assert reverse("inventory_repair_done", args=[overdue.pk]) in tasks
    assert f'{reverse("inventory_repair_new")}?record={record.pk}' in panel
    assert f"/inventory/write-offs/new/?record={record.pk}" in panel
    assert reverse("inventory_record_restore", args=[record.pk]) not in panel


def test_r_inv_3_the_record_page_lists_its_write_offs_and_offers_no_second_request(client, archivist, filed_record):
    record = filed_record()
    refused = write_off_of(record, archivist, WriteOffState.REFUSED)
    pending = write_off_of(record, archivist)
    panel = panel_of(signed_in(client, archivist), record_page(record))
    write_offs = section(panel, "write-offs")
    assert f'href="/inventory/write-offs/{pending.pk}/"' in write_offs and f"/inventory/write-offs/{refused.pk}/" in write_offs
    assert "Awaiting the department head" in write_offs and "Refused" in write_offs
    assert "/inventory/write-offs/new/" not in panel


def test_r_inv_1_a_missing_record_offers_the_restore_and_no_task(client, archivist, filed_record):
    record = missing(filed_record(), archivist)
    panel = panel_of(signed_in(client, archivist), record_page(record))
    assert reverse("inventory_record_restore", args=[record.pk]) in panel
    assert reverse("inventory_repair_new") not in panel
    assert f"/inventory/write-offs/new/?record={record.pk}" in panel


def test_r_inv_1_the_record_page_shows_its_differences_in_an_open_stocktake(client, archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    record = filed_in(filed_record, box)[0]
    stocktake = services.stocktake_open(year=TODAY.year, locations=[box], by=archivist)
    scan(stocktake, box, record, archivist, condition=Condition.DAMAGED, note="水渍")
    panel = panel_of(signed_in(client, archivist), record_page(record))
    differences = section(panel, "differences")
    assert f'href="/inventory/stocktakes/{stocktake.pk}/"' in differences and stocktake.number in differences
    assert "Damaged or decaying" in differences and "Unresolved" in differences


def test_the_head_sees_tasks_and_write_offs_but_no_action(client, archivist, department_head, filed_record):
    record = filed_record()
    task_of(record, archivist)
    write_off_of(record, archivist)
    panel = panel_of(signed_in(client, department_head), record_page(record))
    assert section(panel, "tasks") and section(panel, "write-offs")
    assert reverse("inventory_repair_new") not in panel and "inventory-actions" not in panel
    assert reverse("inventory_repair_done", args=[record.repair_tasks.get().pk]) not in panel
    # Nothing to show and nothing the head may start: no panel at all.
    assert panel_of(client, record_page(filed_record())) is None


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADERSHIP, Role.SYSADMIN, Role.OUTSIDE_STAFF])
def test_other_roles_see_nothing_of_it(client, role_users, archivist, filed_record, role):
    record = filed_record(security_level=SecurityLevel.PUBLIC)
    task_of(record, archivist, days=-1)
    write_off_of(record, archivist)
    user = role_users[role]
    signed_in(client, user)
    response = client.get(record_page(record))
    if response.status_code == 200:
        assert 'data-panel="inventory"' not in response.content.decode()
    assert 'data-panel="inventory"' not in client.get(HOME).content.decode()


def test_a_confidential_record_leaks_nothing_to_whom_may_not_see_it(client, archivist, filed_record):
    secret = filed_record(security_level=SecurityLevel.CONFIDENTIAL, title="机密破损件")
    task_of(secret, archivist, days=-3)
    seen = task_of(filed_record(), archivist, days=2)
    counter = counter_without_confidential()
    signed_in(client, counter)
    assert client.get(record_page(secret)).status_code == 404
    home = client.get(HOME).content.decode()
    tasks = section(_panel(home), "tasks")
    assert f'data-task="{seen.pk}"' in tasks and tasks.count("data-task=") == 1
    assert secret.archive_number not in home and "机密破损件" not in home
    assert 'data-count="1"' in tasks and "data-overdue" not in tasks


# -- the home page --------------------------------------------------------------------


def test_r_inv_2_the_archivist_home_shows_open_and_overdue_tasks_and_open_stocktakes(client, archivist, filed_record):
    _room, _cabinet, (box,) = shelves(1)
    records = filed_in(filed_record, box, count=3)
    overdue = task_of(records[0], archivist, days=-2)
    task_of(records[1], archivist, days=4)
    task_of(records[2], archivist, state=RepairState.DONE)
    stocktake = services.stocktake_open(year=TODAY.year, locations=[box], by=archivist)
    scan(stocktake, box, records[0], archivist)

    panel = panel_of(signed_in(client, archivist), HOME)

    tasks = section(panel, "tasks")
    assert 'data-count="2"' in tasks and 'data-overdue="1"' in tasks and "1 overdue" in tasks
    assert "badge--overdue" in tasks.split(f'data-task="{overdue.pk}"')[1].split("</li>")[0]
    stocktakes = section(panel, "stocktakes")
    assert f'href="/inventory/stocktakes/{stocktake.pk}/"' in stocktakes and "1 of 3 counted" in stocktakes
    assert section(panel, "write-offs") is None


def test_r_inv_3_the_head_home_shows_the_write_offs_awaiting_a_decision(client, archivist, department_head, filed_record):
    pending = write_off_of(filed_record(), archivist)
    write_off_of(filed_record(), archivist, WriteOffState.REFUSED)
    task_of(filed_record(), archivist)
    panel = panel_of(signed_in(client, department_head), HOME)
    write_offs = section(panel, "write-offs")
    assert f'href="/inventory/write-offs/{pending.pk}/"' in write_offs and 'data-count="1"' in write_offs
    assert section(panel, "tasks") is None and section(panel, "stocktakes") is None


def test_nothing_waiting_no_home_panel(client, archivist, department_head):
    assert panel_of(signed_in(client, archivist), HOME) is None
    assert panel_of(signed_in(client, department_head), HOME) is None


def _home_queries(client, *users):
    counts = []
    for user in users:
        signed_in(client, user).get(HOME)  # the first page after signing in also records the sign-in
        counts.append(queries_for(client, HOME))
    return counts


def test_the_home_panel_runs_the_same_queries_for_few_tasks_as_for_many(client, archivist, department_head, filed_record):
    records = [filed_record() for _ in range(HOME_LIMIT + 1)]
    for record in records:
        task_of(record, archivist, days=-1)
        write_off_of(record, archivist)
    few = _home_queries(client, archivist, department_head)
    now = timezone.now()
    RepairTask.objects.bulk_create(
        RepairTask(record=records[n % len(records)], kind=RepairKind.COPY, due_on=TODAY - datetime.timedelta(days=n % 5),
                   opened_by=archivist, opened_at=now)
        for n in range(60)
    )
    for record in [filed_record() for _ in range(8)]:
        write_off_of(record, archivist)
    assert _home_queries(client, archivist, department_head) == few
