"""The retrieval index over repeated rebuilds (R-FILE-4, issue 11): its tokens
stored once (in the index, not also as text on each entry, not a stale copy
beside a fresh one), its size the same after any number of rebuilds, its
answers unchanged.

Transactional: a rebuild compacts the index at its end, and VACUUM (SQLite)
or REINDEX CONCURRENTLY (PostgreSQL) cannot run inside the test's transaction."""
import datetime
from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from records.models import Record, RecordStatus, SearchEntry, SecurityLevel
from records.search import Filters, rebuild_index, search_records
from records.search.tokens import indexed_text, indexed_tokens, text_tokens
from tests.factories import category, marketing_department

transactional = pytest.mark.django_db(transaction=True)

TITLES = [
    "户外宣传制作合同",
    "与华东科技有限公司签订的代理商协议",
    "2024年代理商年度考核通知",
    "渠道拓展专题会议纪要",
    "企业宣传画册（2021版）",
    "杭州户外灯箱制作合同",
]
# Real queries: two-character words first (the common case), then longer
# ones, a word crossing a word boundary, mixed and Latin.
QUERIES = ["合同", "宣传", "代理", "会议", "户外", "灯箱", "传制", "代理商协议", "2024 代理商", "HTDL"]


def bulk_records(count):
    """`count` filed records without history (not under test here), indexed."""
    htdl, department = category("HTDL"), marketing_department()
    rows = [
        Record(
            archive_number=f"J001-HTDL·2024-D30-SCB-{n:04d}", item_number=n, title=f"{TITLES[n % len(TITLES)]}第{n}号",
            category=htdl, year=2024, document_date=datetime.date(2024, 3, 1), responsible_party="市场部",
            document_number=f"市场〔2024〕{n}号", security_level=SecurityLevel.INTERNAL, retention_years=30,
            status=RecordStatus.FILED, department=department, keywords="渠道备案",
        )
        for n in range(1, count + 1)
    ]
    created = Record.objects.bulk_create(rows)
    rebuild_index()
    return created


def change_every_record_behind_the_index(number):
    """Every entry now differs from its record, as after an upgrade or an
    import that bypassed the index; back as it was after an even number."""
    Record.objects.update(notes="索引重建" if number % 2 else "")


def index_size():
    """Bytes of the search tables and indexes, and of the whole database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'records_search%'")
            index = cursor.fetchone()[0]
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")
        else:
            cursor.execute("SELECT pg_total_relation_size('records_searchentry')")
            index = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
        return index, cursor.fetchone()[0]


def ranked(user, text):
    hits = search_records(user, text, Filters())
    return hits.count(), [record.pk for record in hits[0:100]]


def tokens_in_index(record_id):
    """What the index holds for one record, read from the index itself:
    (column, token) → how often. SQLite: fts5vocab's instance table;
    PostgreSQL: the lexemes of the stored vector."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_instances "
                "USING fts5vocab(main, records_search_fts, instance)"
            )
            cursor.execute("SELECT col, term FROM temp.search_instances WHERE doc = %s", [record_id])
            return Counter(cursor.fetchall())
        cursor.execute(
            "SELECT lexeme, weights, positions FROM records_searchentry, unnest(search_vector) WHERE record_id = %s",
            [record_id],
        )
        column = {"A": "title_tokens", "D": "tokens"}
        return Counter({(column[weights[0]], lexeme): len(positions) for lexeme, weights, positions in cursor.fetchall()})


def expected_tokens(entry):
    tokens = Counter(("title_tokens", token) for token in text_tokens(entry.title_text))
    tokens.update(("tokens", token) for token in text_tokens(entry.body_text))
    return tokens


@transactional
def test_entries_keep_their_text_and_only_the_index_keeps_the_tokens(filed_record):
    record = filed_record(title="户外宣传制作合同", keywords="渠道备案")
    entry = SearchEntry.objects.get(record=record)
    assert entry.title_text == "户外宣传制作合同"
    assert "渠道备案" in entry.body_text.split()
    assert "户外 外宣" not in entry.title_text and "渠道 道备" not in entry.body_text  # no bigrams on the entry
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'records_search_fts%' ORDER BY name")
            tables = {name for (name,) in cursor.fetchall()}
            assert "records_search_fts_content" not in tables  # the FTS5 table keeps no copy
            cursor.execute("SELECT title_tokens, tokens FROM records_search_fts WHERE rowid = %s", [record.pk])
            assert cursor.fetchone() == (None, None)
        else:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'records_searchentry'"
            )
            assert {name for (name,) in cursor.fetchall()} == {
                "record_id", "title_text", "body_text", "indexed_at", "search_vector"
            }
    # The index holds each token as often as the text has it, title apart.
    held = tokens_in_index(record.pk)
    if connection.vendor == "sqlite":
        assert held == expected_tokens(entry)
    else:  # a tsvector keeps each lexeme once, with its positions
        assert set(held) >= {("title_tokens", "户外"), ("title_tokens", "合同"), ("tokens", "渠道")}
    assert held[("title_tokens", "外宣")] == 1


@transactional
def test_rebuilding_n_times_leaves_the_index_the_same_size():
    bulk_records(600)
    first = index_size()
    sizes = []
    for number in range(1, 7):
        change_every_record_behind_the_index(number)
        assert rebuild_index(batch_size=50) == 600
        sizes.append(index_size())
    index, database = zip(*sizes)
    if connection.vendor == "sqlite":
        # The same entries give an index of the same size however many
        # rebuilds came before; before issue 11 each rebuild added a stale
        # copy of every token it rewrote (a rebuild doubled it). Whether a
        # rebuild ends with a VACUUM depends on the free share of the whole
        # file (other apps' tables too, and what earlier tests on the worker
        # left), so the rewritten entries may sit on a few more pages than
        # the first ones: 6 % when the documents app came, and the same
        # entries a page or two apart from one rebuild to the next (CI:
        # 393,216 against 380,928 bytes).
        # Rebuilds alternate between two sets of entries (odd, even).
        assert all(later <= earlier * 1.05 for earlier, later in zip(index, index[2:]))
        assert max(index) <= first[0] * 1.15
        # The file around it may gain or lose a free page with what earlier
        # tests on this worker left (CI: 3,702,784 against 3,698,688 bytes).
        assert max(database[1::2]) <= min(database[1::2]) * 1.01
    else:
        # Rewritten rows reuse the space vacuumed during the rebuild (every
        # tenth of the entries) and after it; the records' own table grows
        # here by this test's updates, so only the index is compared.
        assert index[5] <= index[1] * 1.05 and index[4] <= index[2] * 1.05
        assert max(index) <= first[0] * 1.25


@transactional
def test_a_rebuild_that_finds_nothing_new_rewrites_nothing():
    records = bulk_records(50)
    before = dict(SearchEntry.objects.values_list("record_id", "indexed_at"))
    size = index_size()
    calls = []
    assert rebuild_index(batch_size=20, progress=lambda done, total: calls.append((done, total))) == 50
    assert calls == [(20, 50), (40, 50), (50, 50)]
    assert dict(SearchEntry.objects.values_list("record_id", "indexed_at")) == before
    assert index_size()[0] == size[0]
    # One changed record: one entry rewritten, its tokens replaced, none left over.
    Record.objects.filter(pk=records[7].pk).update(title="展会场地租赁合同")
    rebuild_index()
    changed = SearchEntry.objects.get(record=records[7])
    assert changed.indexed_at > before[records[7].pk]
    assert {pk: at for pk, at in SearchEntry.objects.values_list("record_id", "indexed_at") if at != before[pk]} == {
        records[7].pk: changed.indexed_at
    }
    assert tokens_in_index(records[7].pk)[("title_tokens", "展会")] == 1
    assert tokens_in_index(records[7].pk)[("title_tokens", "代理")] == 0


@transactional
def test_search_answers_the_same_after_rebuilds(staff, filed_record):
    for title in TITLES:
        filed_record(title=title, security_level=SecurityLevel.INTERNAL, year=2024)
    answers = {text: ranked(staff, text) for text in QUERIES}
    for text in ["合同", "宣传", "代理", "会议", "户外", "灯箱", "传制"]:
        assert answers[text][0] > 0, text
    assert answers["合同"][0] == 2 and answers["传制"][0] == 1
    for number in range(1, 5):
        change_every_record_behind_the_index(number)
        rebuild_index(batch_size=4)
    assert {text: ranked(staff, text) for text in QUERIES} == answers
    rebuild_index(from_scratch=True)
    assert {text: ranked(staff, text) for text in QUERIES} == answers


@transactional
def test_a_changed_title_leaves_no_old_token_in_the_index(staff, filed_record):
    record = filed_record(title="户外灯箱制作合同")
    Record.objects.filter(pk=record.pk).update(title="展会场地租赁合同")  # behind the index
    assert ranked(staff, "灯箱")[0] == 1
    rebuild_index()
    assert ranked(staff, "灯箱")[0] == 0 and ranked(staff, "展会")[0] == 1
    entry = SearchEntry.objects.get(record=record)
    assert tokens_in_index(record.pk) == expected_tokens(entry) or connection.vendor != "sqlite"
    assert ("title_tokens", "灯箱") not in tokens_in_index(record.pk)


@transactional
def test_a_deleted_entry_takes_its_tokens_out_of_the_index(staff, filed_record):
    keep, gone = filed_record(title="户外宣传制作合同"), filed_record(title="户外灯箱制作合同")
    SearchEntry.objects.filter(record=gone).delete()
    assert ranked(staff, "户外") == (1, [keep.pk])
    assert not tokens_in_index(gone.pk)
    rebuild_index()
    assert ranked(staff, "户外")[0] == 2


@pytest.mark.parametrize(
    "text",
    ["户外宣传制作合同", "HTDL·2024-D30 Ｓ版", "2024年代理商（第3版）", "户外 宣传", "合", "ﬁle İstanbul Ⅻ", "", "— 。"],
)
def test_indexed_text_gives_the_tokens_of_the_text(text):
    assert text_tokens(indexed_text(text)) == text_tokens(text)
    assert indexed_tokens(indexed_text(text)) == text_tokens(text)
    assert indexed_text(indexed_text(text)) == indexed_text(text)


@transactional
def test_migration_0015_indexes_every_record_again(filed_record, staff):
    """From 0014's layout (tokens kept as text on each entry) to the tokens
    stored once; the index is filled again from the records."""
    records = [filed_record(title=title) for title in TITLES[:3]]
    executor = MigrationExecutor(connection)
    executor.migrate([("records", "0014_newest_first_indexes")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM records_searchentry")
        assert cursor.fetchone()[0] == 0  # left empty: 0014's rebuild would fill it
        cursor.execute(
            "INSERT INTO records_searchentry (record_id, title_tokens, tokens, indexed_at) VALUES (%s, %s, %s, %s)",
            [records[0].pk, "户外 外宣", "zzid1", "2026-01-01 00:00:00"],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert SearchEntry.objects.count() == len(records)
    assert ranked(staff, "合同")[1] == [records[0].pk]
    assert ranked(staff, "代理商")[0] == 2
