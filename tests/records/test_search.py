"""The retrieval index (R-FILE-4): Chinese substrings of any length, mixed
Chinese/Latin/digits, archive-number fragments; only what the user may see;
in step with the data on SQLite and PostgreSQL alike."""
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from clients.models import Client, ClientType
from contracts.models import Contract, ContractType
from records.models import AccessGrant, Attachment, RecordStatus, SearchEntry, SecurityLevel
from records.search import Filters, Order, search_records
from records.search.tokens import normalise, query_terms, text_tokens
from records.selectors import visible_records
from records.services import record_file
from tests.factories import RecordFactory, category

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL

TITLES = [
    ("户外宣传制作合同", P),
    ("与华东科技有限公司签订的代理商协议", I),
    ("2024年代理商年度考核通知", I),
    ("渠道拓展专题会议纪要", C),
    ("价格调整的机密合同", C),
    ("企业宣传画册（2021版）", P),
]


def ids(hits):
    return {record.pk for record in hits[0 : hits.count() + 1]}


def found(user, text, **filters):
    hits = search_records(user, text, Filters(**filters))
    result = ids(hits)
    assert hits.count() == len(result), "the count must agree with the rows"
    return result


def expected(user, text):
    """The oracle: a plain scan of what visible_records allows. Each
    whitespace-separated part stands, normalised, in one field as typed;
    letters and digits from a word's start, and whole unless it is the
    query's last word (of the parts ending with one)."""
    parts = [normalise(part) for part in text.split()]
    last_word = max((i for i, part in enumerate(parts) if re.search(r"[0-9a-z]$", part)), default=None)
    patterns = []
    for index, part in enumerate(parts):
        pattern = re.escape(part)
        if re.match(r"[0-9a-z]", part):
            pattern = r"(?<![0-9a-z])" + pattern
        if re.search(r"[0-9a-z]$", part) and index != last_word:
            pattern += r"(?![0-9a-z])"
        patterns.append(re.compile(pattern))
    matches = set()
    for record in visible_records(user):
        fields = [normalise(value or "") for value in (record.title, record.archive_number, record.document_number)]
        if all(any(pattern.search(field) for field in fields) for pattern in patterns):
            matches.add(record.pk)
    return matches


@pytest.fixture
def corpus(filed_record):
    return [filed_record(title=title, security_level=level, year=2024) for title, level in TITLES]


def test_tokens_are_bigram_phrases_then_single_characters():
    assert text_tokens("户外宣传") == ["户外", "外宣", "宣传", "户", "外", "宣", "传"]
    # Full-width folded; punctuation (with what follows it) and spaces are tokens.
    assert text_tokens("HTDL·2024 Ｓ") == ["htdl", "zqb7x2024", "2024", "zq20", "s"]
    assert [t.tokens for t in query_terms("传制 合")] == [("传制",), ("合",)]


@pytest.mark.parametrize(
    "text",
    ["合同", "协议", "传制", "户外宣传制作合同", "合", "2024 代理商", "代理商 2024", "宣传画册", "不存在的词"],
)
@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.DEPARTMENT_HEAD, Role.ARCHIVIST])
def test_r_file_4_search_finds_exactly_the_visible_substring_matches(role, text, role_users, corpus):
    user = role_users[role]
    assert found(user, text) == expected(user, text)


def test_r_file_4_two_characters_find_every_record_containing_them(staff, corpus):
    assert found(staff, "合同") == {corpus[0].pk}  # the confidential contract stays hidden
    assert found(staff, "传制") == {corpus[0].pk}  # across a word boundary


def test_r_lend_4_staff_never_find_or_count_confidential_records(staff, department_head, corpus):
    secret_titles = {"渠道拓展专题会议纪要", "价格调整的机密合同"}
    for text in ["合同", "会议", "机密", "调整", "2024"]:
        hits = search_records(staff, text)
        assert not secret_titles & {record.title for record in hits[0:50]}
        assert hits.count() == len(ids(hits))
    assert search_records(department_head, "机密").count() == 1
    assert search_records(staff, "机密").count() == 0


def test_r_file_4_archive_number_fragment(staff, corpus):
    number = corpus[1].archive_number  # J001-HTDL·2024-D30-SCB-0002
    assert found(staff, "HTDL·2024") == {r.pk for r in corpus if r.security_level != C}
    assert corpus[1].pk in found(staff, number)
    assert found(staff, number.lower()) == found(staff, number)


def test_r_access_grant_makes_one_confidential_record_findable(staff, department_head, corpus):
    secret = corpus[4]
    AccessGrant.objects.create(
        user=staff, record=secret, reason="核对", granted_by=department_head,
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert found(staff, "合同") == {corpus[0].pk, secret.pk}
    assert corpus[3].pk not in found(staff, "会议")


def test_submitter_finds_own_unfiled_items_others_do_not(staff, corpus):
    from tests.conftest import make_user

    mine = RecordFactory(title="出差收集的展会资料", submitted_by=staff, status=RecordStatus.SUBMITTED)
    colleague = make_user(Role.STAFF, "colleague")
    assert found(staff, "展会资料") == {mine.pk}
    assert found(colleague, "展会资料") == set()


def test_filters_narrow_by_category_year_level_status(staff, archivist, corpus):
    other_year = record_file(record=RecordFactory(title="户外灯箱制作合同", year=2023), by=archivist)
    internal_class = record_file(
        record=RecordFactory(title="户外活动会议记录", category=category("NBHY"), year=2024), by=archivist
    )
    assert found(staff, "户外", year=2023) == {other_year.pk}
    assert found(staff, "户外", category_code="HT") == {corpus[0].pk, other_year.pk}
    assert found(staff, "户外", category_code="NB") == {internal_class.pk}
    assert found(staff, "户外", security_level=P) == {corpus[0].pk}
    assert found(staff, "", year=2023) == {other_year.pk}  # filters alone
    assert found(staff, "户外", status=RecordStatus.ON_LOAN) == set()


def test_orders(staff, corpus):
    hits = search_records(staff, "代理商", order=Order.NEWEST)
    assert [r.pk for r in hits[0:10]] == sorted(found(staff, "代理商"), reverse=True)
    for order in (Order.RELEVANCE, Order.DATE):
        assert {r.pk for r in search_records(staff, "代理商", order=order)[0:10]} == found(staff, "代理商")


def test_r_file_4_relevance_puts_title_matches_first(staff, filed_record):
    in_title = filed_record(title="展会筹备方案", security_level=I)
    in_notes = filed_record(title="市场部月报", notes="含展会筹备进度", security_level=I)
    assert in_notes.pk > in_title.pk  # newer, yet ranked second
    hits = search_records(staff, "展会筹备")
    assert [r.pk for r in hits[0:10]] == [in_title.pk, in_notes.pk]
    assert [r.pk for r in hits[1:2]] == [in_notes.pk]
    newest = search_records(staff, "展会筹备", order=Order.NEWEST)
    assert [r.pk for r in newest[0:10]] == [in_notes.pk, in_title.pk]


def test_last_word_is_a_prefix_earlier_words_are_whole(staff, filed_record):
    record = filed_record(title="SCB 通知", document_number="市场〔2024〕15号", security_level=I)
    assert record.pk in found(staff, "20")
    assert record.pk in found(staff, "2024 通知")
    assert record.pk in found(staff, "2024 1")
    assert record.pk not in found(staff, "202 15")


def test_index_follows_saves(staff, corpus):
    record = corpus[0]
    record.title = "户外广告牌维护协议"
    record.save()
    assert record.pk in found(staff, "维护")
    assert record.pk not in found(staff, "制作合同")


def test_index_follows_attachment_text_clients_and_contracts(staff, archivist, corpus, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    record = corpus[1]
    Attachment.objects.create(
        record=record, file="x.pdf", original_name="x.pdf", size=1, content_type="application/pdf",
        sha256="0" * 64, uploaded_by=archivist, extracted_text="甲方承诺年度销售额不低于五百万元",
    )
    assert record.pk in found(staff, "销售额")

    client = Client.objects.create(client_type=ClientType.AGENT, name="合肥信诚建材经营部")
    client.records.add(record)
    assert record.pk in found(staff, "信诚建材")
    client.name = "合肥鼎盛建材经营部"
    client.save()
    assert record.pk in found(staff, "鼎盛") and record.pk not in found(staff, "信诚")
    client.records.clear()
    assert record.pk not in found(staff, "鼎盛")

    Contract.objects.create(
        record=record, contract_type=ContractType.AGENT_AGREEMENT,
        contract_number="SCB-HT-2024-0099", counterparty_name="苏州瑞丰防水材料有限公司",
    )
    assert record.pk in found(staff, "瑞丰防水")
    assert record.pk in found(staff, "SCB-HT-2024-0099")


def test_rebuild_command_reports_progress_and_restores_the_index(staff, corpus):
    SearchEntry.objects.all().delete()
    assert found(staff, "合同") == set()
    out = io.StringIO()
    with translation.override("en"):
        call_command("rebuild_search_index", "--batch-size", "2", stdout=out)
    assert found(staff, "合同") == {corpus[0].pk}
    progress = [line for line in out.getvalue().splitlines() if line.startswith("Indexed")]
    assert [line.split(" (")[0] for line in progress] == [f"Indexed {n} of 6 records" for n in (2, 4, 6)]


def test_status_change_moves_the_record_between_filters(staff, corpus):
    from records.services import record_check_out

    record_check_out(record=corpus[0], reason="借出")
    assert found(staff, "合同", status=RecordStatus.ON_LOAN) == {corpus[0].pk}


# --- the search page --------------------------------------------------------


def test_search_page_highlights_matches_and_hides_confidential(client, staff, corpus):
    client.force_login(staff)
    response = client.get("/records/", {"q": "合同"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "户外宣传制作<mark>合同</mark>" in html
    assert "价格调整的机密" not in html
    assert response.context["page_obj"].paginator.count == 1


def test_search_page_highlight_escapes_markup(client, archivist, filed_record):
    filed_record(title="<b>代理</b>协议", security_level=P)
    client.force_login(archivist)
    html = client.get("/records/", {"q": "协议"}).content.decode()
    assert "&lt;b&gt;代理&lt;/b&gt;<mark>协议</mark>" in html


def test_search_page_sort_and_filters(client, staff, corpus):
    client.force_login(staff)
    for order in ("relevance", "date", "newest"):
        response = client.get("/records/", {"q": "代理商", "order": order, "year": 2024})
        assert {r.pk for r in response.context["records"]} == {corpus[1].pk, corpus[2].pk}
    response = client.get("/records/", {"q": "代理商", "year": "abc"})
    assert response.context["form"].errors["year"]
    assert response.context["page_obj"].paginator.count == 2  # the bad filter is ignored


def test_search_page_methods_and_login(client, staff, corpus):
    response = client.get("/records/", {"q": "宣传"})
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=/records/")
    assert "宣传" not in response.content.decode()
    client.force_login(staff)
    response = client.post("/records/", {"q": "宣传"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "宣传" not in response.content.decode()


def test_long_result_lists_count_up_to_the_cap(client, staff, corpus, settings):
    """records.paging: past ARCHIVE_LIST_COUNT_CAP the page says "more than"
    instead of counting every match (a full count is slow on PostgreSQL)."""
    from records.paging import CappedPaginator

    hits = search_records(staff, "宣传")  # two visible matches
    assert hits.capped_count(1) == 1 and hits.capped_count(10) == 2
    capped = CappedPaginator(search_records(staff, "宣传"), 20, cap=1)
    assert (capped.count, capped.is_capped, capped.num_pages) == (1, True, 1)
    exact = CappedPaginator(search_records(staff, "宣传"), 20, cap=2)
    assert (exact.count, exact.is_capped) == (2, False)
    listing = CappedPaginator(visible_records(staff).order_by("-pk"), 20, cap=3)
    assert (listing.count, listing.is_capped) == (3, True)

    client.force_login(staff)
    client.cookies["django_language"] = "en"
    settings.ARCHIVE_LIST_COUNT_CAP = 1
    assert "More than 1 records found" in client.get("/records/?q=宣传").content.decode()
    settings.ARCHIVE_LIST_COUNT_CAP = 10
    assert "2 records found" in client.get("/records/?q=宣传").content.decode()


def test_newest_first(staff, corpus):
    """(PostgreSQL's walk through its buckets: tests/records/test_search_postgres.py.)"""
    hits = search_records(staff, "宣传", order=Order.NEWEST)
    records = hits[0:20]
    assert [record.pk for record in records] == sorted((record.pk for record in records), reverse=True)
    assert {record.pk for record in records} == expected(staff, "宣传")
    assert [record.pk for record in hits[1:2]] == [records[1].pk]


def test_the_retention_filter_is_worded_in_the_readers_language_whoever_loaded_it_first():
    from records.forms_search import RETENTION_CHOICES

    with translation.override("en"):
        english = [str(label) for _value, label in RETENTION_CHOICES]
    with translation.override("zh-hans"):
        chinese = [str(label) for _value, label in RETENTION_CHOICES]
    assert "30 years" in english and "10 years" in english
    assert "30年" in chinese and "10年" in chinese
