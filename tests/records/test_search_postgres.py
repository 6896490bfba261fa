"""PostgreSQL's search reads the newest records first, bucket by bucket, and
ranks title matches by the title's own lexemes (records.search.pg_vector):
whichever way a walk ends, the hits, their order and the capped count are
those of the whole archive (R-FILE-4)."""
import pytest
from django.db import connection

from records.search import Order, search_records
from records.search import pg_vector
from records.search.backends import current_backend
from records.search.storage import PostgresStore

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's index only")

COUNT = 30


@pytest.fixture
def small_buckets(monkeypatch):
    """Buckets of four records, so thirty records lie in eight of them
    (as a million records lie in twenty)."""
    monkeypatch.setattr(pg_vector, "BUCKET_SIZE", 4)


@pytest.fixture
def archive(small_buckets, filed_record):
    """Thirty records, oldest first. 灯箱 is in every one, in the title of
    the even ones and the keywords of the odd ones; 旧档 only in the three
    oldest, 新档 only in the three newest, 零星 in three far apart."""
    records = []
    for number in range(COUNT):
        words = ["灯箱"] if number % 2 else []
        words += ["旧档"] if number < 3 else []
        words += ["新档"] if number >= COUNT - 3 else []
        words += ["零星"] if number in (0, 13, 27) else []
        title = f"户外灯箱制作合同{number}号" if number % 2 == 0 else f"户外广告制作合同{number}号"
        records.append(filed_record(title=title, keywords=" ".join(words) or "无"))
    return records


def newest_first(records):
    return sorted((record.pk for record in records), reverse=True)


@pytest.mark.parametrize(
    ("text", "which"),
    [
        ("新档", lambda number: number >= COUNT - 3),  # found in the newest buckets alone
        ("旧档", lambda number: number < 3),  # nothing new: the rest is read at once
        ("零星", lambda number: number in (0, 13, 27)),  # sparse: one bucket, then the rest
        ("合同", lambda number: True),  # everywhere: the walk stops early
    ],
)
def test_newest_first_and_the_capped_count_are_the_whole_archives(staff, archive, text, which):
    matching = newest_first(record for number, record in enumerate(archive) if which(number))
    hits = search_records(staff, text, order=Order.NEWEST)
    assert [record.pk for record in hits[0:COUNT]] == matching
    assert [record.pk for record in hits[1:3]] == matching[1:3]
    assert hits.count() == len(matching)
    for cap in (1, 2, 5, 29, 31):
        assert search_records(staff, text).capped_count(cap) == min(cap, len(matching))


def test_title_matches_rank_first_by_the_titles_own_lexemes(staff, archive):
    """灯箱 stands in the even titles and in the odd records' keywords:
    the even ones first, newest first, then the odd ones."""
    in_title = newest_first(archive[number] for number in range(0, COUNT, 2))
    elsewhere = newest_first(archive[number] for number in range(1, COUNT, 2))
    hits = search_records(staff, "灯箱")
    assert [record.pk for record in hits[0:COUNT]] == in_title + elsewhere
    assert [record.pk for record in hits[14:17]] == [in_title[-1], *elsewhere[:2]]
    # A word of the title typed with one of the keywords' matches only as a whole.
    assert [record.pk for record in search_records(staff, "灯箱制作")[0:COUNT]] == in_title


def test_a_vector_holds_the_title_again_and_its_bucket(archive):
    record = archive[5]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM records_searchentry, unnest(search_vector) WHERE record_id = %s", [record.pk]
        )
        lexemes = {lexeme for (lexeme,) in cursor.fetchall()}
    assert {"户外", "广告", "zzt户外", "zzt广告", "灯箱", pg_vector.bucket_token(record.pk)} <= lexemes
    assert "zzt灯箱" not in lexemes  # in the keywords, not the title


def test_rewriting_the_vectors_restores_every_entry(staff, archive):
    """Migration 0021's step: every vector made again from its texts."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_searchentry SET search_vector = NULL")
    assert search_records(staff, "灯箱").count() == 0
    PostgresStore().rewrite_vectors(batch=7)
    assert search_records(staff, "灯箱").count() == COUNT
    assert current_backend().count(search_records(staff, "新档").match.every) == 3
