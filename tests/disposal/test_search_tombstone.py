"""A search by archive number or title finds a destroyed record and says
when it was destroyed and under which list (R-DISP-3: the record of the
destruction outlives the thing), to those who could see it before."""
import re

from django.urls import reverse
from django.utils import formats, timezone

from disposal import services
from records.models import SecurityLevel
from tests.disposal.support import approved, confirmed, due_record, fresh, witnesses


def test_r_disp_3_search_by_archive_number_or_title_shows_the_tombstone(
    client, archivist, department_head, leadership, staff, filed_record
):
    record = due_record(filed_record, title="二〇〇〇年度华南区展会宣传册", security_level=SecurityLevel.INTERNAL)
    disposal_list = approved(archivist, department_head, leadership, [record])
    confirmed(disposal_list, archivist, witnesses())
    services.list_execute(disposal_list=fresh(disposal_list), by=archivist)
    record.refresh_from_db()
    day = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    for reader in (archivist, staff):
        client.force_login(reader)
        for query in (record.archive_number, "华南区展会"):
            page = client.get(reverse("record_list"), {"q": query}).content.decode()
            row = re.search(r'<div class="help destroyed-on">(.*?)</div>', page)
            assert row, (reader, query)
            assert f"销毁于 {day}" in row.group(1) and disposal_list.number in row.group(1)


def test_a_record_on_the_shelf_has_no_tombstone_line(client, archivist, filed_record):
    record = due_record(filed_record, title="二〇〇〇年度华南区展会宣传册")
    client.force_login(archivist)
    page = client.get(reverse("record_list"), {"q": record.archive_number}).content.decode()
    assert record.archive_number in page and "destroyed-on" not in page
