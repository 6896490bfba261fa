"""rebuild_search_index (R-FILE-4, issue 15): says how far it is and about
how long is left, and a stopped rebuild continues after the last batch it
committed (a checkpoint under VAR_DIR); --restart starts over; a finished
rebuild leaves no checkpoint."""
import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from records.management.commands import rebuild_search_index as command
from records.models import SearchEntry, SecurityLevel
from records.search import Filters, indexing, search_records

I = SecurityLevel.INTERNAL
TITLES = ["户外宣传制作合同", "代理商协议", "年度考核通知", "专题会议纪要", "宣传画册", "灯箱制作合同", "展会样稿"]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def records(filed_record):
    return [filed_record(title=title, security_level=I) for title in TITLES]


def rebuild(*args, language="en"):
    out = io.StringIO()
    with translation.override(language):
        call_command("rebuild_search_index", "--batch-size", "2", *args, stdout=out)
    return out.getvalue().splitlines()


def progress(lines):
    return [line.split(" (")[0] for line in lines if line.startswith("Indexed")]


def indexed_ids():
    return set(SearchEntry.objects.values_list("record_id", flat=True))


def fail_on_batch(monkeypatch, number):
    """The rebuild stops with an error in its `number`th batch."""
    real, calls = indexing.index_records, []

    def index_records(ids, **kwargs):
        calls.append(ids)
        if len(calls) == number:
            raise RuntimeError("the machine went down")
        return real(ids, **kwargs)

    monkeypatch.setattr(indexing, "index_records", index_records)


def test_progress_says_how_far_and_how_long_is_left(records):
    lines = rebuild()
    assert progress(lines) == ["Indexed 2 of 7 records", "Indexed 4 of 7 records", "Indexed 6 of 7 records",
                               "Indexed 7 of 7 records"]
    assert lines[0].endswith("(28%), less than a minute left")
    assert lines[-1].startswith("Search index rebuilt: 7 records")
    chinese = rebuild(language="zh-hans")
    assert chinese[0].startswith("已索引 2 / 7 条档案（28%），")


def test_progress_groups_thousands_and_estimates_the_time_left():
    with translation.override("en"):
        line = command.progress_line(12_000, 1_000_000, seconds=2, done_before=0)
    assert line == "Indexed 12,000 of 1,000,000 records (1%), about 2\xa0minutes left"
    with translation.override("zh-hans"):
        line = command.progress_line(12_000, 1_000_000, seconds=2.2, done_before=0)
    assert line == "已索引 12,000 / 1,000,000 条档案（1%），约剩 3\xa0分钟"


def test_a_stopped_rebuild_continues_after_its_last_committed_batch(records, monkeypatch, var_dir):
    SearchEntry.objects.all().delete()
    fail_on_batch(monkeypatch, 3)
    with pytest.raises(RuntimeError):
        rebuild()
    checkpoint = json.loads((var_dir / "rebuild_search_index.json").read_text())
    assert checkpoint["last_record_id"] == records[3].pk
    assert indexed_ids() == {record.pk for record in records[:4]}

    monkeypatch.undo()
    SearchEntry.objects.filter(record__in=records[:4]).delete()  # so a run from the start would show
    lines = rebuild()
    assert lines[0] == f"Continuing a stopped rebuild after record {records[3].pk} (--restart starts over)."
    assert progress(lines) == ["Indexed 6 of 7 records", "Indexed 7 of 7 records"]
    assert indexed_ids() == {record.pk for record in records[4:]}
    assert not (var_dir / "rebuild_search_index.json").exists()

    assert progress(rebuild())[0] == "Indexed 2 of 7 records"  # finished: the next run starts over
    assert indexed_ids() == {record.pk for record in records}


def test_restart_starts_over(records, monkeypatch, var_dir, staff):
    fail_on_batch(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        rebuild()
    monkeypatch.undo()
    SearchEntry.objects.all().delete()
    lines = rebuild("--restart")
    assert not any(line.startswith("Continuing") for line in lines)
    assert progress(lines)[0] == "Indexed 2 of 7 records"
    assert indexed_ids() == {record.pk for record in records}
    assert search_records(staff, "制作合同", Filters()).count() == 2
    assert not (var_dir / "rebuild_search_index.json").exists()


def test_a_stopped_rebuild_from_scratch_does_not_empty_the_index_again(records, monkeypatch, staff):
    fail_on_batch(monkeypatch, 3)
    with pytest.raises(RuntimeError):
        rebuild("--from-scratch")
    assert indexed_ids() == {record.pk for record in records[:4]}  # emptied, then two batches
    monkeypatch.undo()
    rebuild("--from-scratch")
    assert indexed_ids() == {record.pk for record in records}
    assert search_records(staff, "合同", Filters()).count() == 2


def test_a_checkpoint_of_another_database_is_ignored(records, var_dir):
    (var_dir / "rebuild_search_index.json").write_text(
        json.dumps({"database": "sqlite:/elsewhere.sqlite3", "last_record_id": records[5].pk, "from_scratch": False})
    )
    SearchEntry.objects.all().delete()
    assert progress(rebuild())[0] == "Indexed 2 of 7 records"
    assert indexed_ids() == {record.pk for record in records}
