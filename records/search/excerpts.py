"""Why a record matched (R-FILE-4): where a query matches a text, by the
index's own rules, as spans of the ORIGINAL text, and a short excerpt of an
attached file around the first of them.

The rules are those of records.search.tokens, restated for one text so that
each match can be traced back to the characters it came from:

- the text and the query are folded alike (tokens.normalise): NFKC
  (full-width = half-width), lower case, and whitespace between two Chinese
  characters or Chinese punctuation removed: 档案⏎管理 is 档案管理;
- the query's whitespace-separated parts are matched each on its own; inside
  a part its pieces (a run of Chinese, a word of letters and digits, a
  punctuation character) must stand together in that order with nothing
  between them: `HTDL·2019` is not found in `HTDL 2019` nor `HTDL · 2019`;
- a word is matched from a word start and as a whole word, except the
  query's last word (ending its part), which is a prefix: `24` is not found
  inside `2024`, and `20` marks the 20 of 2024;
- a run of Chinese is found anywhere when it is a part by itself; followed
  by another piece it must end its run, preceded by one it starts its run (a
  single character ending a part may begin a longer run).

Nothing here reads the database except `file_matches`, which reads the
attachments of the records on one page in one query.
"""
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from django.db.models.functions import Substr
from django.utils.text import capfirst

from records.files.extraction import PAGE_BREAK  # between the pages of a PDF's text
from records.models import Attachment, Record
from records.search.folding import CJK, GAP, ChunkedFold, fold, safe_cut

_WORD_CHAR = rf"[^\W_{CJK}]"
_PIECE = re.compile(rf"(?P<cjk>[{CJK}]+)|(?P<word>{_WORD_CHAR}+)|(?P<mark>\S)")
_SPACE = re.compile(r"\s+")
_BREAK = re.compile(r"[\n\r\f\v\x1c-\x1e\x85\u2028\u2029]")
# The index's reserved tokens (markers zz…, punctuation zq…) are never prefixes.
_RESERVED = ("zz", "zq")

WIDTH = 40
# The fields a result row shows (marked in place), and those it does not.
SHOWN_FIELDS = ("archive_number", "title", "document_number")
OTHER_FIELDS = ("responsible_party", "keywords", "notes")
# The index reads at most this much of a record's files (records.search
# .indexing.MAX_ATTACHMENT_CHARS): a match past it did not find the record.
SCAN_CHARS = 100_000
# An excerpt looks for its match in the first HEAD_CHARS of a text first,
# then in the whole (or four times as much, when the match ends too near).
HEAD_CHARS = 4000
HEAD_MARGIN = 200


# ---- the query --------------------------------------------------------------


def _part_pattern(pieces, prefix):
    """One query part (its pieces' kinds and texts) as a regular expression
    over folded text; `prefix`: its last word may begin a longer one."""
    regexes = []
    for index, (kind, piece) in enumerate(pieces):
        followed = index < len(pieces) - 1
        regex = re.escape(piece)
        if kind == "cjk" and followed:
            regex += rf"(?![{CJK}])"  # the end of its run
        elif kind == "word":
            regex = rf"(?<!{_WORD_CHAR}){regex}"
            if followed or not prefix:
                regex += rf"(?!{_WORD_CHAR})"
        regexes.append(regex)
    return "".join(regexes)


def _query_parts(query):
    """Each whitespace-separated part as its (kind, text) pieces."""
    parts = (part for raw in query.split() for part in fold(raw).split())
    return [[(piece.lastgroup, piece.group()) for piece in _PIECE.finditer(part)] for part in parts]


@functools.lru_cache(maxsize=64)
def query_pattern(query):
    """The compiled pattern of a typed query (over folded text), or None when
    it has nothing to match."""
    parts = [pieces for pieces in _query_parts(query) if pieces]
    if not parts:
        return None
    # Only the query's last word is a prefix, when it ends its part (tokens.query_terms).
    last_word = max((i for i, pieces in enumerate(parts) if pieces[-1][0] == "word"), default=None)
    regexes = []
    for index, pieces in enumerate(parts):
        prefix = index == last_word and not pieces[-1][1].startswith(_RESERVED)
        regexes.append(f"(?:{_part_pattern(pieces, prefix)})")
    # Longest first, so a part inside another is marked as the longer one.
    regexes.sort(key=len, reverse=True)
    return re.compile("|".join(regexes))


@functools.cache
def _folding_to():
    """{Chinese character: the other characters NFKC folds into it} (Kangxi
    radicals and compatibility ideographs, as some PDFs' text has them)."""
    sources = {}
    for block in (range(0x2E80, 0x2FE0), range(0xF900, 0xFB00), range(0x2F800, 0x2FA20)):
        for code in block:
            folded_char = unicodedata.normalize("NFKC", chr(code))
            if folded_char != chr(code) and len(folded_char) == 1:
                sources.setdefault(folded_char, []).append(chr(code))
    return sources


@functools.lru_cache(maxsize=64)
def _anchors(query):
    """A Chinese character of each query part (any match contains one of
    them as it stands), or None when a part has none."""
    anchors = []
    for pieces in _query_parts(query):
        anchor = next((piece[0] for kind, piece in pieces if kind == "cjk"), None)
        if anchor is None:
            return None
        anchors.append(anchor)
    return tuple(anchors)


def first_anchor(text, query):
    """Where in `text` the first character stands that could be one of the
    query parts' anchors: no match begins much before it. None when there is
    none (the query cannot match: a file found by its record's title is not
    read through), 0 when a part has no Chinese character."""
    anchors = _anchors(query or "")
    if anchors is None:
        return 0
    chars = (char for anchor in anchors for char in (anchor, *_folding_to().get(anchor, ())))
    return min((index for char in chars if (index := text.find(char)) >= 0), default=None)


def _fold_start(text, anchor, query):
    """A place to start folding `text` from, well before `anchor` (a match
    is at most twice as long as the query, whitespace between Chinese
    characters counted)."""
    before = anchor - 2 * len(query) - 100
    if before <= 0:
        return 0
    cut = safe_cut(text, max(0, before - 1000))
    return cut if cut <= before else 0


# ---- matching on the original text ------------------------------------------


def _pattern(query):
    return query if isinstance(query, re.Pattern) else query_pattern(query or "")


def find_matches(text, query):
    """Where `query` matches `text`: sorted, non-overlapping (start, end)
    spans of the original text."""
    pattern = _pattern(query)
    if pattern is None or not text:
        return []
    return list(ChunkedFold(text).spans(pattern))


def marked_pieces(text, spans):
    """`text` cut into (piece, matched) pairs at `spans`."""
    pieces, last = [], 0
    for start, end in spans:
        if start > last:
            pieces.append((text[last:start], False))
        pieces.append((text[start:end], True))
        last = end
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


# ---- excerpts -----------------------------------------------------------------


@dataclass(frozen=True)
class Excerpt:
    """A few words either side of a match: `pieces` are (text, matched)
    pairs with layout whitespace tidied; `page` when the text counts pages."""

    pieces: tuple
    page: int | None
    cut_before: bool
    cut_after: bool


@dataclass(frozen=True)
class Match:
    """Where a record matched: a file's name, or a field's label."""

    name: str
    excerpt: Excerpt


def _tidied(text, spans, start, end):
    """The window [start, end) of `text` as (piece, matched) pairs: a line
    or page break between Chinese characters dropped (档案⏎管理 reads
    档案管理: the layout broke the word) and every other run of whitespace
    shown as one space."""
    window = text[start:end]
    matched = [False] * len(window)
    for span_start, span_end in spans:
        for index in range(max(span_start, start) - start, min(span_end, end) - start):
            matched[index] = True
    chars = list(window)
    for space in _SPACE.finditer(window):
        chars[space.start() : space.end()] = [""] * (space.end() - space.start())
        gap = GAP.match(window, space.start())
        layout = gap and gap.end() == space.end() and _BREAK.search(space.group())
        if space.start() and space.end() < len(window) and not layout:
            chars[space.start()] = " "
    pieces = []
    for is_matched, group in itertools.groupby(zip(chars, matched), key=lambda pair: pair[1]):
        piece = "".join(char for char, _ in group)
        if piece:
            pieces.append((piece, is_matched))
    return tuple(pieces)


def _first_matches(text, pattern, width, begin=0):
    """The first match's span and the spans of the window around it. A
    growing head of the text is folded first: most files match in their
    first pages, and a head ending well after the window holds the same
    first matches as the whole text (a match is at most as long as the query).
    `begin`: where no match can begin before (a safe cut)."""
    limit = begin + HEAD_CHARS
    while True:
        cut = safe_cut(text, limit)
        spans = ((start + begin, end + begin) for start, end in ChunkedFold(text[begin:cut]).spans(pattern))
        first = next(spans, None)
        if first is None and cut == len(text):
            return None, []
        if first is not None and (cut == len(text) or first[1] + width + HEAD_MARGIN < cut):
            window_end = first[1] + width
            return first, [first, *itertools.takewhile(lambda span: span[0] < window_end, spans)]
        limit = limit * 4 if first else len(text)  # none in the head: likely none at all


def excerpt(text, query, width=WIDTH):
    """An Excerpt of `text` around the first match of `query` (about `width`
    characters either side), or None when it does not match."""
    pattern = _pattern(query)
    if pattern is None or not text:
        return None
    begin = 0
    if isinstance(query, str):
        anchor = first_anchor(text, query)
        if anchor is None:
            return None
        begin = _fold_start(text, anchor, query)
    first, spans = _first_matches(text, pattern, width, begin)
    if first is None:
        return None
    start, end = max(0, first[0] - width), min(len(text), first[1] + width)
    page = text.count(PAGE_BREAK, 0, first[0]) + 1 if PAGE_BREAK in text else None
    return Excerpt(
        pieces=_tidied(text, spans, start, end),
        page=page,
        cut_before=bool(text[:start].strip()),
        cut_after=bool(text[end:].strip()),
    )


def file_matches(records, query, *, width=WIDTH):
    """{record id: Match} for the first attached file of each record in
    `records` whose text matches `query`. One query for the page's records,
    never per row; reads only the files of these records, which the caller
    has read through visible_records. A destroyed file's text is emptied
    (R-DISP-3), so it never shows."""
    pattern = query_pattern(query or "")
    record_ids = [record.pk for record in records]
    if pattern is None or not record_ids:
        return {}
    rows = (
        Attachment.objects.filter(record_id__in=record_ids, destroyed_at__isnull=True)
        .exclude(extracted_text="")
        .annotate(head=Substr("extracted_text", 1, SCAN_CHARS))
        .order_by("record_id", "uploaded_at", "pk")
        .values_list("record_id", "original_name", "head")
    )
    matches, budget = {}, {}
    for record_id, name, text in rows:
        # The index reads a record's files in this order up to SCAN_CHARS in all.
        left = budget.get(record_id, SCAN_CHARS)
        budget[record_id] = left - len(text)
        if record_id in matches or left <= 0:
            continue
        found = excerpt(text[:left], query, width)
        if found is not None:
            matches[record_id] = Match(name=name, excerpt=found)
    return matches


def why_matched(records, query, *, width=WIDTH):
    """{record id: Match} for the records of a result page: the first of its
    files that matches (file_matches); else, when nothing the row shows
    matches, the first of its other fields that does."""
    matches = file_matches(records, query, width=width)
    pattern = query_pattern(query or "")
    if pattern is None:
        return matches
    for record in records:
        if record.pk in matches or any(find_matches(getattr(record, field) or "", pattern) for field in SHOWN_FIELDS):
            continue
        for field in OTHER_FIELDS:
            found = excerpt(getattr(record, field) or "", pattern, width)
            if found is not None:
                matches[record.pk] = Match(name=capfirst(Record._meta.get_field(field).verbose_name), excerpt=found)
                break
    return matches
