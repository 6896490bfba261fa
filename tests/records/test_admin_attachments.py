"""The attachments back office (issue 16): the list names each file's type
in words, as the record page does (records.previews.type_label), filters by
those words, and keeps the MIME type and the SHA-256 checksum for the
file's own page, folded under "technical details"."""
import re
from html import unescape

import pytest
from django.utils import translation

from records.models import Attachment
from tests.admin_support import admin_url

SHA_PDF, SHA_TEXT = "a" * 64, "b" * 64


@pytest.fixture
def files(archivist, filed_record):
    record = filed_record()

    def stored(name, content_type, sha256):
        return Attachment.objects.create(
            record=record, file=f"{record.pk}/{name}", original_name=name, size=2048,
            content_type=content_type, sha256=sha256, uploaded_by=archivist,
        )

    return stored("协议扫描件.pdf", "application/pdf", SHA_PDF), stored("说明.txt", "text/plain; charset=utf-8", SHA_TEXT)


def text_of(html):
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_list_names_the_type_in_words_and_shows_no_mime_type_or_checksum(client, archivist, files):
    client.force_login(archivist)
    with translation.override("zh-hans"):
        html = client.get(admin_url(Attachment), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    start = html.index('id="result_list"')
    table = text_of(html[start : html.index("</table>", start)])
    assert "PDF 文档" in table and "纯文本" in table
    assert "application/pdf" not in html and "text/plain" not in html
    assert SHA_PDF not in html and SHA_TEXT not in html


@pytest.mark.parametrize("code, shown", [("pdf", "协议扫描件.pdf"), ("text", "说明.txt")])
def test_the_list_filters_by_type_in_words_a_text_file_with_its_charset_included(
    client, archivist, files, code, shown
):
    client.force_login(archivist)
    with translation.override("zh-hans"):
        response = client.get(admin_url(Attachment), {"file_type": code})
        changelist = response.context["cl"]
        offered = {str(choice["display"]) for spec in changelist.filter_specs for choice in spec.choices(changelist)}
    assert [attachment.original_name for attachment in changelist.result_list] == [shown]
    # Only the types present are offered, in words.
    assert {"PDF 文档", "纯文本"} <= offered and "PNG 图片" not in offered


def test_the_change_page_keeps_mime_type_and_checksum_in_a_folded_technical_section(client, archivist, files):
    pdf, _text = files
    client.force_login(archivist)
    with translation.override("zh-hans"):
        html = client.get(admin_url(Attachment, "change", pdf.pk), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    folded = re.search(r'<details[^>]*>\s*<summary[^>]*>.*?技术信息.*?</summary>(?P<body>.*?)</details>', html, re.S)
    assert folded, "the technical section is a collapsed fieldset"
    assert SHA_PDF in folded["body"] and "application/pdf" in folded["body"]
    assert SHA_PDF not in html.replace(folded["body"], "")
    assert "PDF 文档" in text_of(html.replace(folded["body"], ""))
