"""The shipped CJK font and the CSS text a register's pages carry.

WeasyPrint is imported on first use: it is slow to import and only needed
when a PDF is printed."""
import functools
import re

from django.conf import settings

FONT_FAMILY = "Archive CJK"
PAGE_PLACEHOLDERS = re.compile(r"%\((page|pages)\)s")


def font_url():
    return settings.PDF_FONT_PATH.resolve().as_uri()


def css_string(text):
    """A CSS string literal holding `text` verbatim (for `content:`)."""
    escaped = []
    for char in str(text):
        if char in '"\\<>' or ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def page_counter_css(pattern, *, pages=None):
    """'Page %(page)s of %(pages)s' (or its translation, 第 %(page)s 页 共
    %(pages)s 页) as a CSS `content` value with counter(page)/counter(pages).
    With `pages`, the total is printed as that number instead: a register
    printed in chunks knows its total only once every chunk is rendered."""
    parts = []
    for index, piece in enumerate(PAGE_PLACEHOLDERS.split(pattern)):
        if index % 2:
            parts.append(css_string(pages) if piece == "pages" and pages is not None else f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


@functools.cache
def _font_only_fetcher_class():
    from weasyprint.urls import URLFetcher

    class FontOnlyFetcher(URLFetcher):
        """The register HTML needs exactly one resource, the shipped font.
        Data is escaped anyway; refusing every other URL keeps a stray `url()`
        from ever reading the disk or the network. Render processes, which
        do not read Django's settings, pass the font's URL."""

        def __init__(self, *args, font=None, **kwargs):
            super().__init__(*args, **kwargs)
            self._font = font

        def fetch(self, url, headers=None):
            allowed = self._font or font_url()
            if url.split("?")[0] != allowed:
                raise ValueError(f"Registers load no resource but the font, not {url}")
            return super().fetch(url, headers)

    return FontOnlyFetcher
