"""Search normalisation and exact matching (R-FILE-4, issue 15): words a PDF's
text layout breaks across lines are found, full-width = half-width, and a
query part typed without spaces matches only where its pieces stand together
as typed. Everything through search_records, on SQLite and PostgreSQL alike."""
import io
import operator
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from records.attachments import add_attachment
from records.models import SecurityLevel
from records.search import Filters, rebuild_index, search_records
from records.search import storage
from records.search.tokens import (
    VERSION_MARK,
    _legacy_tokens,
    _piece_tokens,
    indexed_text,
    indexed_tokens,
    normalise,
    query_terms,
    text_tokens,
)

I = SecurityLevel.INTERNAL

REGULATION = (
    "为加强公司档案管理工作，规范各部门文件材料的收集、整理、归档和利用，"
    "根据国家有关法律法规和档案管理制度的规定，结合市场部实际情况，制定本办法。"
    "本办法所称档案，是指在市场推广、渠道备案、展会筹备等活动中形成的具有保存价值的各种文字、图表和声像记录。"
)


def found(user, text):
    hits = search_records(user, text, Filters())
    result = {record.pk for record in hits[0 : hits.count() + 1]}
    assert hits.count() == len(result), "the count must agree with the rows"
    return result


# ---- normalisation ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("档案\n管理", "档案管理"),
        ("档案 \t管理", "档案管理"),
        ("档案\u3000管理", "档案管理"),  # the ideographic space
        ("档案\r\n管理制度", "档案管理制度"),
        ("档案，\n管理", "档案,管理"),  # a break after Chinese punctuation
        ("档案\n（管理）", "档案(管理)"),
        ("“档案”\n管理", "“档案”管理"),
        ("ＡＢＣ１２３", "abc123"),
        ("ＨＴ\u3000２０２４", "ht 2024"),  # full-width letters and digits are not Chinese
        ("档案\u3000ＨＴ", "档案 ht"),
        ("HTDL·2019 合同", "htdl·2019 合同"),  # a space between Latin and Chinese stays
        ("SCB 2019", "scb 2019"),
        ("档案 HT 管理", "档案 ht 管理"),
    ],
)
def test_normalise(text, normalised):
    assert normalise(text) == normalised
    assert normalise(normalised) == normalised


def test_fields_never_join():
    """Each field is normalised on its own: the end of one Chinese field and
    the start of the next are not adjacent."""
    assert "场部 渠道" in indexed_text("市场部", "渠道备案")
    assert "部渠" not in text_tokens("市场部", "渠道备案")
    assert "部渠" in text_tokens("市场部渠道备案")


# ---- the index's reading of old entries ---------------------------------------

OLD_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LEGACY_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SAMPLES = [
    "户外宣传制作合同", "HTDL·2024-D30 Ｓ版", "2024年代理商（第3版）", "户外 宣传", "合", "ﬁle İstanbul Ⅻ", "",
    "— 。", "J001-HTDL·2019-D30-SCB-0001", "市场〔2024〕15号", "合同HT2024", "档案\n管理", REGULATION,
]


def old_indexed_text(*texts):
    """indexed_text as issue 11 wrote it: normalised runs one space apart."""
    import unicodedata

    runs = (m.group() for text in texts for m in LEGACY_RUN.finditer(unicodedata.normalize("NFKC", text).lower()))
    return " ".join(runs)


def old_text_tokens(*texts):
    """text_tokens as issue 11 wrote it: bigrams of each Chinese run, words,
    then every single character of the Chinese runs."""
    sequence, singles = [], []
    for run in old_indexed_text(*texts).split():
        if len(run) > 1 and OLD_CJK.match(run):
            sequence += map(operator.add, run, run[1:])
            singles += run
        else:
            sequence.append(run)
    return sequence + singles


@pytest.mark.parametrize("text", SAMPLES)
def test_entries_indexed_before_are_read_back_with_the_tokens_they_were_indexed_with(text):
    """SQLite's contentless index forgets an entry only when given the exact
    tokens it holds, made again from the stored text by today's code: an
    old entry must still give the old tokens (a plain rebuild then moves it
    over; no --from-scratch)."""
    assert indexed_tokens(old_indexed_text(text)) == old_text_tokens(text)


@pytest.mark.parametrize("text", SAMPLES)
def test_a_new_text_is_marked_whenever_the_old_reading_would_differ(text):
    stored = indexed_text(text)
    assert indexed_text(stored) == stored
    assert indexed_tokens(stored) == text_tokens(text)
    if not stored.startswith(VERSION_MARK):
        assert _legacy_tokens(stored) == _piece_tokens(stored)


def test_an_old_entry_leaves_the_index_cleanly_on_a_plain_rebuild(staff, filed_record):
    from django.db import connection

    from records.models import SearchEntry
    from tests.records.test_search_index_size import expected_tokens, tokens_in_index

    record = filed_record(title="户外宣传制作合同（2024版）", notes="HTDL 2019", security_level=I)
    # As issue 11's code left the entry: runs one space apart, tokens so made.
    storage.save_entries({record.pk: (old_indexed_text(record.title), old_indexed_text("HTDL 2019") + " zzid0")})
    assert found(staff, "HTDL 2019") == found(staff, "宣传制作") == {record.pk}
    assert ("tokens", "zzid0") in tokens_in_index(record.pk)
    rebuild_index()
    assert found(staff, "HTDL 2019") == found(staff, "（2024版）") == {record.pk}
    assert found(staff, "HTDL·2019") == set()
    held = tokens_in_index(record.pk)
    assert ("tokens", "zzid0") not in held and held[("title_tokens", "zq28x2024")] == 1
    if connection.vendor == "sqlite":  # nothing of the old tokens left, nothing taken twice
        assert held == expected_tokens(SearchEntry.objects.get(record=record))


# ---- words broken across lines in real PDFs -----------------------------------


def narrow_pdf(text):
    """A real PDF whose lines are three characters wide: nearly every word breaks."""
    from weasyprint import HTML

    font = settings.PDF_FONT_PATH.as_uri()
    style = f"@font-face {{ font-family: cjk; src: url('{font}'); }} body {{ font-family: cjk; font-size: 12pt; }}"
    return HTML(string=f'<style>{style}</style><div style="width: 3em">{text}</div>').write_pdf()


def straddling(text):
    """Every four Chinese characters of `text` that a line break cuts (1+3,
    2+2 or 3+1), as the reader sees them joined."""
    cjk = "\u4e00-\u9fff"
    pieces = re.split(rf"(?<=[{cjk}])\s+(?=[{cjk}])", text)
    joined, breaks = "", []
    for piece in pieces:
        if joined:
            breaks.append(len(joined))
        joined += piece
    strings = set()
    for position in breaks:
        for start in range(position - 3, position):
            window = joined[max(start, 0) : start + 4]
            if start >= 0 and len(window) == 4 and re.fullmatch(rf"[{cjk}]{{4}}", window):
                strings.add(window)
    return strings


def test_every_four_characters_a_pdf_breaks_across_lines_are_found(staff, archivist, filed_record, private_storage):
    record = filed_record(title="档案管理办法", security_level=I)
    other = filed_record(title="市场部月报", security_level=I)
    upload = SimpleUploadedFile("办法.pdf", narrow_pdf(REGULATION), content_type="application/pdf")
    attachment = add_attachment(record=record, uploaded_file=upload, by=archivist).attachment
    strings = straddling(attachment.extracted_text)
    assert len(strings) > 60  # the layout did break the words
    assert "档案管理" not in attachment.extracted_text  # broken in the stored text, found all the same
    missed = sorted(text for text in strings if record.pk not in found(staff, text))
    assert missed == []
    assert other.pk not in found(staff, "档案管理")
    assert found(staff, "管理档案") == set()  # joined lines, not a bag of characters


# ---- full width and exact adjacency -------------------------------------------


def test_full_width_text_and_queries_match_half_width(staff, filed_record):
    wide = filed_record(title="ＨＴ２０２４合同（代理商）", security_level=I)
    narrow = filed_record(title="签订合同", notes="SCB-HT·2031", security_level=I)
    assert found(staff, "ht2024合同") == {wide.pk}
    assert found(staff, "ＨＴ２０２４") == {wide.pk}
    assert found(staff, "合同(代理商)") == {wide.pk}
    assert found(staff, "ＳＣＢ－ＨＴ·２０３１") == {narrow.pk}


def test_a_part_typed_without_spaces_matches_only_as_it_stands(staff, filed_record):
    """Issue 15: `HTDL·2019` found records with htdl and 2019 anywhere."""
    together = filed_record(title="代理商协议", document_number="KHDL·2019-0001", security_level=I)
    apart = filed_record(
        title="代理商协议", document_number="KHDL·2015-2019", keywords="KHDL", notes="2019 年度", security_level=I
    )
    assert found(staff, "KHDL·2019") == {together.pk}
    assert found(staff, "KHDL 2019") == {together.pk, apart.pk}
    assert found(staff, "KHDL2019") == set()
    assert found(staff, "2015-2019") == {apart.pk}
    assert found(staff, "2019年度") == set()  # a space stands between them
    assert found(staff, "2019 年度") == {apart.pk}


def test_chinese_next_to_letters_digits_and_punctuation(staff, filed_record):
    contract = filed_record(title="签订合同HT2024补充条款", document_number="市场〔2024〕15号", security_level=I)
    spaced = filed_record(title="签订合同 HT2024", document_number="市场（2024）15号", security_level=I)
    longer = filed_record(title="合同书HT2024", security_level=I)
    assert found(staff, "合同HT2024") == {contract.pk}
    assert found(staff, "同HT2024") == {contract.pk}  # one character ending a longer run
    assert found(staff, "HT2024补") == {contract.pk}  # one character starting one
    assert found(staff, "合同 HT2024") == {contract.pk, spaced.pk, longer.pk}
    assert found(staff, "市场〔2024〕") == {contract.pk}
    assert found(staff, "市场(2024)") == {spaced.pk}
    assert found(staff, "〔2024〕15号") == {contract.pk}
    assert found(staff, "书HT") == {longer.pk}


def test_two_fields_are_never_adjacent(staff, filed_record):
    record = filed_record(
        title="月报", document_number="市场〔2024〕3号",
        responsible_party="市场部", keywords="渠道备案", security_level=I,
    )
    assert found(staff, "市场部") == {record.pk}
    assert found(staff, "部渠道") == set()
    number_end = record.archive_number.rsplit("-", 1)[1]  # 0001: archive number, then document number
    assert record.pk in found(staff, number_end)
    assert found(staff, f"{number_end}市场") == set()
    assert found(staff, "月报J001") == set()  # title and body


@pytest.mark.parametrize(
    "text", ["zq", "zq2d", "zz", "zzlvinternal"],
)
def test_reserved_token_spaces_are_not_prefixes(text):
    assert all(not term.prefix for term in query_terms(text))


QUERIES = [
    "画册（2021", "画册(2021版)", "2021版", "（2021版）", "2024年", "HTDL·2024-D", "HTDL·2024 D30", "2024年代理商",
    "J001-HTDL", "-D30-", "SCB-000", "·", "代理商年度", "纪要", "合同 2024",
]


@pytest.mark.parametrize("text", QUERIES)
def test_punctuation_queries_find_exactly_what_the_scan_finds(text, staff, filed_record):
    from tests.records.test_search import TITLES, expected

    for title, level in TITLES:
        filed_record(title=title, security_level=level, year=2024)
    assert found(staff, text) == expected(staff, text)


@pytest.mark.parametrize(
    "text, tokens, prefix",
    [
        ("HTDL·2019", ("htdl", "zqb7x2019"), True),  # the last word: ·2019… as a prefix
        ("HTDL·2019 SCB", ("htdl", "zqb7x2019", "2019"), False),  # not the last word: whole
        ("市场〔2024〕", ("市场", "场", "zq3014x2024", "2024", "zq3015x"), True),  # 〕 and whatever follows
        ("（第3版）", ("zq28x第", "第", "3", "版", "zq29x"), True),
    ],
)
def test_punctuation_carries_what_follows_it(text, tokens, prefix):
    """A bare · is in every archive number: a phrase with it as a token of its
    own read the whole archive's list (~100 ms at a million records)."""
    assert (query_terms(text)[0].tokens, query_terms(text)[0].prefix) == (tokens, prefix)


def test_a_phrase_never_runs_into_the_single_characters(staff, filed_record):
    """The single characters follow the text's own tokens for one-character
    queries; a phrase must not run from the end of the text into them."""
    record = filed_record(title="档案归档0", security_level=I)
    assert found(staff, "归档0") == {record.pk}
    assert found(staff, "0档") == set()
