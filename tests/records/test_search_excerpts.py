"""Why a record matched (R-FILE-4): the matcher follows the index's rules on
the original text, the search page shows an excerpt of the file that matched
(which file, which page) for the records on the page only, escaped, and marks
only what matched."""
import io
import random
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from records.attachments import add_attachment
from records.files import extract_text
from records.files import types as filetypes
from records.models import Attachment, SecurityLevel
from records.search import excerpts
from records.search.excerpts import excerpt, file_matches, find_matches, fold, query_pattern
from records.templatetags.search_highlight import excerpt_html, highlight
from tests.conftest import speak_english
from tests.query_counts import queries_for

P, I, C = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


def matched(text, query):
    return [text[start:end] for start, end in find_matches(text, query)]


# ---- the matcher --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, query, expected",
    [
        # whitespace between Chinese characters does not separate them
        ("本制度适用于档\n案管理工作", "档案管理", ["档\n案管理"]),
        ("档案\u3000管理、档案 \t\n管理", "档案管理", ["档案\u3000管理", "档案 \t\n管理"]),
        ("档案管理\f制度", "管理制度", ["管理\f制度"]),
        # full-width = half-width, any case
        ("编号ＡＢＣ１２３号", "abc123", ["ＡＢＣ１２３"]),
        ("编号abc123号", "ＡＢＣ１２３", ["abc123"]),
        # letters and digits from a word start: 24 is not inside 2024
        ("2024年第24号", "24", ["24"]),
        ("HT2024-0024", "24", []),
        # only the query's last word is a prefix; earlier words are whole
        ("SCB 通知 市场〔2024〕15号", "2024 1", ["2024", "1"]),  # the 1 typed of 15
        ("SCB 通知 市场〔2024〕15号", "202 15", ["15"]),
        ("SCB 通知 市场〔2024〕15号", "20", ["20"]),
        # a part typed without spaces matches only as typed
        ("HTDL·2019 与 HTDL 2019", "HTDL·2019", ["HTDL·2019"]),
        ("HTDL 2019 与 2019·HTDL", "HTDL·2019", []),
        ("市场〔2024〕15号 市场2024", "市场〔2024〕", ["市场〔2024〕"]),
        ("签订合同HT2024号，合同 HT2025", "合同HT2024", ["合同HT2024"]),
        ("合同编号HT2024", "合同HT2024", []),  # 合同 does not end its run
        # separate parts each match anywhere
        ("HTDL·2019 与 HTDL 2019", "htdl 2019", ["HTDL", "2019", "HTDL", "2019"]),
        ("户外宣传制作合同", "宣传 合同", ["宣传", "合同"]),
        ("编号 HTDL 与编号HTDL", "编号HTDL", ["编号HTDL"]),  # a space parts pieces
        ("HTDL · 2019", "HTDL·2019", []),
        ("签订合同HT2024", "同HT2024", ["同HT2024"]),
        ("HT合同书", "HT合", ["HT合"]),  # a last character may begin a run
        ("a-b·c", "·", ["·"]),
        # Chinese punctuation joins too, before and after folding
        ("档案 ，管理", "档案，管理", ["档案 ，管理"]),
        ("归档 ⽂件", "归档文件", ["归档 ⽂件"]),  # a Kangxi radical, as PDFs have them
        ("说明……档案管理", "档案管理", ["档案管理"]),  # … folds to three characters
        ("档案", "", []),
    ],
)
def test_find_matches_follows_the_index_rules(text, query, expected):
    assert matched(text, query) == expected


@pytest.mark.parametrize(
    "text",
    ["档案\n管理", "ＡＢＣ　１２３", "归档 ⽂件", "档案 ，管理", "说明……档案\f管理", "HT 2024\n合同", "㈱华东 ﬁle"],
)
def test_folding_only_where_it_may_change_something_equals_folding_everything(text):
    """fold() runs NFKC only over the characters it may change; the plain
    reading (the whole text through the gap removal, NFKC, lower case and
    the gap removal again) is the rule it must keep."""
    import unicodedata

    from records.search.folding import GAP
    from records.search.tokens import normalise

    plain = GAP.sub("", unicodedata.normalize("NFKC", GAP.sub("", text)).lower())
    assert fold(text) == normalise(text) == plain


def test_matches_map_back_to_the_original_when_folding_changes_lengths():
    text = "㈱华东 ﬁle 编号ＨＴ２０２４"  # NFKC makes ㈱ three characters and ﬁ two
    assert matched(text, "ht2024") == ["ＨＴ２０２４"]
    assert matched(text, "file") == ["ﬁle"]


def mixed_text(length, seed=1):
    """Chinese with what folding changes: full-width forms, an ellipsis,
    ligatures, combining marks, Kangxi radicals, line and page breaks."""
    rng = random.Random(seed)
    tails = ["，", "。", "……", "、", "（2024）", "HT-2024 ", " ㈱ ", "ﬁle ", "e\u0301", "Ｅ\u0301x", "\u2f42件", "ＡＢＣ\u3000"]
    text = ""
    while len(text) < length:
        text += "".join(rng.choice("档案管理制度规定市场部门文件材料归档") for _ in range(rng.randint(5, 40)))
        text += rng.choice(tails) + rng.choice(["\n", "", " ", "\f", " \n "])
    return text[:length]


def test_folding_long_texts_in_chunks_keeps_every_position():
    from records.search.folding import ChunkedFold, folded
    from records.search.tokens import normalise

    text = mixed_text(30_000)
    whole = folded(text)  # character by character: slow, plainly right
    assert whole.text == fold(text) == normalise(text)
    for query in ["HT-2024 档案", "file", "abc", "文件", "éx"]:
        expected = []
        for match in query_pattern(query).finditer(whole.text):
            span = whole.span(match.start(), match.end())
            if expected and span[0] < expected[-1][1]:
                expected[-1] = (expected[-1][0], max(span[1], expected[-1][1]))
            else:
                expected.append(span)
        assert expected and list(ChunkedFold(text).spans(query_pattern(query))) == expected, query


@pytest.mark.parametrize("where", [10, 3_950, 3_990, 4_100, 29_000])
def test_an_excerpt_found_in_part_of_a_text_is_the_one_of_the_whole(where):
    text = mixed_text(30_000, seed=2)
    text = text[:where] + "宣传物料" + text[where : where + 20] + "宣传物料" + text[where + 20 :]
    quick = excerpt(text, "宣传物料")
    spans = find_matches(text, "宣传物料")  # the whole text folded
    start, end = max(0, spans[0][0] - 40), spans[0][1] + 40
    assert quick.pieces == excerpts._tidied(text, spans, start, end)
    assert [piece for piece, matched in quick.pieces if matched] == ["宣传物料", "宣传物料"]


def test_excerpt_shows_the_words_around_the_first_match_joined_and_cut():
    text = "前" * 100 + "适用于档\n案管理工作" + "后" * 100
    found = excerpt(text, "档案管理", width=10)
    assert found.pieces == (("前" * 7 + "适用于", False), ("档案管理", True), ("工作" + "后" * 8, False))
    assert found.cut_before and found.cut_after and found.page is None
    assert excerpt(text, "合同") is None


def test_excerpt_drops_line_breaks_between_chinese_and_keeps_spaces():
    found = excerpt("第一章 总则\n第一条 为加强档\f案\u3000管理", "档案管理")
    assert found.pieces == (("第一章 总则第一条 为加强", False), ("档案 管理", True))


def test_excerpt_marks_every_match_in_its_window_and_keeps_spaces_between_words():
    found = excerpt("合同 HT-2024\n与\n合同 HT-2025", "合同", width=40)
    assert found.pieces == (("合同", True), (" HT-2024 与", False), ("合同", True), (" HT-2025", False))
    assert not found.cut_before and not found.cut_after


def test_excerpt_says_the_page_when_the_text_counts_pages():
    text = "第一页正文\f第二页正文\f第三页：档案管理制度"
    assert excerpt(text, "档案管理").page == 3
    assert excerpt(text, "正文").page == 1


def test_excerpt_html_escapes_the_text_before_marking():
    found = excerpt("<script>alert(1)</script>合同条款", "合同")
    assert excerpt_html(found) == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>合同</mark>条款"


@pytest.mark.parametrize(
    "value, query, html",
    [
        ("2024年第24号通知", "24", "2024年第<mark>24</mark>号通知"),
        ("SCB·2024-0024", "24", "SCB·2024-0024"),
        ("ＨＴＤＬ·2019 HTDL 2019", "HTDL·2019", "<mark>ＨＴＤＬ·2019</mark> HTDL 2019"),
        ("<b>代理</b>协议", "协议", "&lt;b&gt;代理&lt;/b&gt;<mark>协议</mark>"),
        ("<b>代理</b>协议", "b", "&lt;<mark>b</mark>&gt;代理&lt;/<mark>b</mark>&gt;协议"),
        (None, "协议", ""),
    ],
)
def test_highlight_marks_only_what_matched(value, query, html):
    assert highlight(value, query) == html


# ---- real PDFs ------------------------------------------------------------------

REGULATION = (
    "为加强公司档案管理工作，规范各部门文件材料的收集整理归档和利用，"
    "根据国家有关法律法规和档案管理制度的规定，结合市场部实际情况，制定本办法。"
)


def narrow_pdf(pages):
    """A real PDF whose lines are three characters wide, one page per text."""
    from weasyprint import HTML

    font = settings.PDF_FONT_PATH.as_uri()
    body = "".join(f'<div style="width: 3em; page-break-after: always">{text}</div>' for text in pages)
    style = f"@font-face {{ font-family: cjk; src: url('{font}'); }} body {{ font-family: cjk; font-size: 12pt; }}"
    return HTML(string=f"<style>{style}</style>{body}").write_pdf()


def straddling_strings(text):
    """Every four Chinese characters that a line break cuts 2 + 2."""
    found = set()
    for line_break in re.finditer(r"(?<=[\u4e00-\u9fff]{2})\s+(?=[\u4e00-\u9fff]{2})", text):
        found.add(text[line_break.start() - 2 : line_break.start()] + text[line_break.end() : line_break.end() + 2])
    return found


def test_words_a_pdf_breaks_across_lines_are_found_and_shown_joined():
    text = extract_text(io.BytesIO(narrow_pdf([REGULATION])), filetypes.PDF)
    strings = straddling_strings(text)
    assert len(strings) >= 12, text  # the layout did break the words
    for string in strings:
        found = excerpt(text, string)
        assert found is not None, string
        assert (string, True) in found.pieces, (string, found)


def test_the_pdf_text_keeps_its_page_breaks_for_the_excerpt():
    text = extract_text(io.BytesIO(narrow_pdf(["封面", "目录", "保管期限表"])), filetypes.PDF)
    assert excerpt(text, "保管期限").page == 3
    assert excerpt(text, "目录").page == 2


# ---- the search page --------------------------------------------------------------


def attach(record, content, name, by):
    uploaded = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return add_attachment(record=record, uploaded_file=uploaded, by=by).attachment


def with_text(record, text, name, by):
    """An attachment row with this extracted text (the upload path is tested
    above and in test_attachments); saving it re-indexes the record."""
    return Attachment.objects.create(
        record=record, file=f"x/{name}", original_name=name, size=1, content_type="application/pdf",
        sha256="0" * 64, uploaded_by=by, extracted_text=text,
    )


def test_search_page_shows_the_file_page_and_words_that_matched(client, staff, archivist, filed_record, private_storage):
    record = filed_record(title="市场部管理办法", security_level=I)
    attach(record, narrow_pdf(["封面", "第一章 总则 本办法规定宣传物料的领用程序"]), "管理办法.pdf", archivist)
    client.force_login(staff)
    speak_english(client)
    html = client.get("/records/", {"q": "宣传物料"}).content.decode()
    excerpt_div = re.search(r'<div class="help search-excerpt">(.*?)</div>', html, re.S).group(1)
    assert "管理办法.pdf · page 2" in excerpt_div
    assert "<mark>宣传物料</mark>" in excerpt_div
    assert "领用程序" in excerpt_div


def test_search_page_escapes_file_text(client, staff, archivist, filed_record):
    record = filed_record(title="市场部月报", security_level=I)
    with_text(record, "<script>alert(1)</script>宣传物料清单", "月报.pdf", archivist)
    client.force_login(staff)
    html = client.get("/records/", {"q": "宣传物料"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>宣传物料</mark>清单" in html
    assert "<script>alert(1)" not in html


def test_no_excerpt_of_a_hidden_record_or_a_destroyed_file(client, staff, archivist, filed_record):
    shown = filed_record(title="市场部月报", security_level=I)
    hidden = filed_record(title="价格调整方案", security_level=C)
    destroyed = filed_record(title="旧合同", security_level=I)
    with_text(shown, "附件一：宣传物料清单", "月报.pdf", archivist)
    with_text(hidden, "机密：宣传物料底价", "底价.pdf", archivist)
    gone = with_text(destroyed, "宣传物料旧清单", "旧.pdf", archivist)
    Attachment.objects.filter(pk=gone.pk).update(destroyed_at=timezone.now())  # its text not yet emptied
    client.force_login(staff)
    html = client.get("/records/", {"q": "宣传物料"}).content.decode()
    assert "<mark>宣传物料</mark>清单" in html
    assert "底价" not in html and "旧清单" not in html
    assert set(file_matches([shown, hidden, destroyed], "宣传物料")) == {shown.pk, hidden.pk}


def test_no_excerpt_when_the_file_does_not_match(client, staff, archivist, filed_record):
    record = filed_record(title="宣传物料领用登记", security_level=I)
    with_text(record, "本登记表由综合办公室保管", "登记表.pdf", archivist)
    client.force_login(staff)
    html = client.get("/records/", {"q": "宣传物料"}).content.decode()
    assert "<mark>宣传物料</mark>领用登记" in html
    assert "search-excerpt" not in html and "综合办公室" not in html


def test_a_field_the_row_does_not_show_says_why_when_nothing_shown_matched(client, staff, filed_record):
    in_notes = filed_record(title="市场部月报", notes="本月含展会筹备进度与预算", security_level=I)
    in_title = filed_record(title="展会筹备方案", notes="展会筹备的分工", security_level=I)
    client.force_login(staff)
    speak_english(client)
    html = client.get("/records/", {"q": "展会筹备"}).content.decode()
    rows = {pk: row for pk, row in re.findall(r'href="/records/(\d+)/">(.*?)</td>', html, re.S)}
    assert re.search(r'search-excerpt__file">Notes</span> 本月含<mark>展会筹备</mark>进度与预算', rows[str(in_notes.pk)])
    assert "search-excerpt" not in rows[str(in_title.pk)] and "分工" not in html


def test_a_file_is_read_through_only_when_it_may_match(archivist, filed_record, monkeypatch):
    radical = filed_record(title="目录", security_level=I)
    with_text(radical, "归档⽂件目录", "目录.pdf", archivist)  # ⽂ is a Kangxi radical: 文 once folded
    other = filed_record(title="文件目录", security_level=I)
    with_text(other, "本目录由档案室编制", "目录.pdf", archivist)
    read = []
    monkeypatch.setattr(excerpts, "_first_matches", lambda text, *args: read.append(text) or (None, []))
    file_matches([radical, other], "文件")
    assert read == ["归档⽂件目录"]


def test_only_the_part_of_the_files_the_index_reads_is_searched(archivist, filed_record):
    record = filed_record(title="市场部月报", security_level=I)
    with_text(record, "正" * 60_000 + "宣传物料", "前.pdf", archivist)
    with_text(record, "正" * 30_000 + "宣传物料", "后.pdf", archivist)
    assert file_matches([record], "宣传物料")[record.pk].name == "前.pdf"
    with_text(record, "正" * 30_000 + "渠道拓展", "再后.pdf", archivist)  # past the 100,000 read in all
    assert file_matches([record], "渠道拓展") == {}


@pytest.mark.django_db
def test_the_page_reads_its_files_in_one_query_however_many_rows(client, staff, archivist, filed_record):
    def results(count, word):
        for n in range(count):
            record = filed_record(title=f"{word}第{n}号", security_level=I)
            with_text(record, f"正文{n}：{word}附件", "附件.pdf", archivist)
            with_text(record, f"{word}补充说明", "补充.pdf", archivist)

    results(5, "宣传物料")
    results(20, "渠道拓展")
    client.force_login(staff)
    few = queries_for(client, "/records/?q=宣传物料")
    many = queries_for(client, "/records/?q=渠道拓展")
    assert few == many
    html = client.get("/records/?q=渠道拓展").content.decode()
    assert html.count('class="help search-excerpt"') == 20


AGREEMENT_TITLES = [
    "2024年第24号通知",
    "合同编号 HTDL·2019-01",
    "HTDL 2019 年度台账",
    "签订合同HT2024号",
    "市场〔2024〕15号 档案管理办法",
    "ＡＢＣ１２３ 宣传画册",
    "档案\n管理，归档 ⽂件",
    "ＨＴ　２０２４ 与 HT合同书",
]
AGREEMENT_QUERIES = ["24", "2024", "20", "HTDL·2019", "htdl 2019", "合同HT2024", "同HT2024", "市场〔2024〕",
                     "〔2024", "abc123", "档案管理", "15号", "宣传 abc", "编号HTDL", "HT合", "ht2024", "管理，归档",
                     "归档文件", "·", "号 通知"]


def test_what_is_marked_is_what_the_index_found(staff, filed_record):
    """A record is found exactly when every part of the query is marked in
    one of the fields it is indexed by: the two follow the same rules."""
    from records.search import search_records

    fields = ("title", "archive_number", "document_number", "responsible_party", "keywords", "notes")
    records = [filed_record(title=title, security_level=I) for title in AGREEMENT_TITLES]
    for query in AGREEMENT_QUERIES:
        found = {record.pk for record in search_records(staff, query)[0:100]}
        for record in records:
            texts = [getattr(record, field) or "" for field in fields]
            every_part_marked = all(any(find_matches(text, part) for text in texts) for part in query.split())
            assert (record.pk in found) == every_part_marked, (query, texts)
