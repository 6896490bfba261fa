"""Text folded as the search index reads it: the one normalisation of
titles, every other field, file text and queries (records.search.tokens
.normalise is `fold`), and, for the excerpts, the same folding with where
each folded character came from, so a match found in the folded text can be
marked in the original (records.search.excerpts).

Folding: whitespace between two Chinese characters or Chinese punctuation
removed (档案⏎管理 → 档案管理), NFKC (full-width = half-width), lower case,
then that whitespace removal again. It is done only where it may change
something: NFKC of a whole Chinese text whose punctuation is full-width
costs about 1 µs a character, a regular expression over it ~30 ns.
"""
import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

# The Chinese characters and punctuation of the index (records.search.tokens).
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_PUNCTUATION = (
    "\u3001-\u303f\ufe10-\ufe1f\ufe30-\ufe4f\u2014\u2018-\u201d\u2026"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\uffe0-\uffee"  # full-width, not its letters and digits
)
# Whitespace between two of them, starting with a cheap test of the character at hand.
GAP = re.compile(rf"(?=\s)(?<=[{CJK}{CJK_PUNCTUATION}])\s+(?=[{CJK}{CJK_PUNCTUATION}])")
# Marks NFKC may join to the character before them.
_JOINING = "\u0300-\u036f\u1160-\u11ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_STARTS_JOINED = re.compile(rf"[{_JOINING}]")
_CLUSTER = re.compile(rf".[{_JOINING}]*", re.S)
# Where a long text may be cut into chunks folded on their own: between two
# non-blank characters, before a Chinese character or an ASCII letter or
# digit (no whitespace run is cut, nothing joins what stands before it).
_SAFE_CUT = re.compile(r"(?<=\S)(?=[\u4e00-\u9fffA-Za-z0-9])")
CHUNK_CHARS = 1000


@functools.cache
def _changing():
    """Runs of the characters folding may change: those NFKC or lower()
    maps to something else, and the marks that join the one before them.
    Worked out once (~0.1 s)."""
    ranges = [[0x1160, 0x11FF], [0x10000, 0x1FFFF], [0x2F800, 0x2FFFF], [0x31350, 0x10FFFF]]
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if unicodedata.combining(char) or unicodedata.normalize("NFKC", char).lower() != char:
            if ranges[-1][1] == code - 1 and ranges[-1][0] < 0x10000:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    members = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{members}]+")


def _changing_runs(text):
    """(start, end) of each run folding may change, with the character
    before it when the run begins with a joining mark."""
    last = 0
    for run in _changing().finditer(text):
        start = run.start()
        if start > last and _STARTS_JOINED.match(text, start):
            start -= 1
        yield start, run.end()
        last = run.end()


def _nfkc_lower(text):
    return unicodedata.normalize("NFKC", text).lower()


def fold(text):
    """Whitespace between two Chinese characters or Chinese punctuation
    removed, NFKC, lower case (see the module's docstring); no positions."""
    text = GAP.sub("", text or "")
    pieces, last = [], 0
    for start, end in _changing_runs(text):
        pieces += [text[last:start], _nfkc_lower(text[start:end])]
        last = end
    pieces.append(text[last:])
    return GAP.sub("", "".join(pieces))


@dataclass
class Folded:
    """`text` folded; `starts[i]`, `ends[i]`: the original span of its
    character i (None: the same positions as the original)."""

    text: str
    starts: list | None = None
    ends: list | None = None

    def span(self, start, end):
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]

    def _slices(self, ranges):
        """The text kept at `ranges`, positions carried along."""
        text = "".join(self.text[a:b] for a, b in ranges)
        starts, ends = [], []
        for a, b in ranges:
            if self.starts is None:
                starts.extend(range(a, b))
                ends.extend(range(a + 1, b + 1))
            else:
                starts.extend(self.starts[a:b])
                ends.extend(self.ends[a:b])
        return Folded(text, starts, ends)

    def without_gaps(self):
        ranges, last = [], 0
        for gap in GAP.finditer(self.text):
            ranges.append((last, gap.start()))
            last = gap.end()
        if not ranges:
            return self
        ranges.append((last, len(self.text)))
        return self._slices(ranges)

    def nfkc_lower(self):
        """NFKC and lower() on the runs they may change, a character and its
        marks at a time, each keeping its origin."""
        ranges, pieces, last = [], [], 0
        for start, end in _changing_runs(self.text):
            ranges += [(last, start), (start, end)]
            last = end
        ranges.append((last, len(self.text)))
        text, starts, ends = [], [], []
        for index, (start, end) in enumerate(ranges):
            if index % 2 == 0:  # unchanged
                kept = self._slices([(start, end)])
                text.append(kept.text)
                starts += kept.starts
                ends += kept.ends
                continue
            for cluster in _CLUSTER.finditer(self.text, start, end):
                piece = _nfkc_lower(cluster.group())
                first, final = self.span(cluster.start(), cluster.end())
                text.append(piece)
                starts += [first] * len(piece)
                ends += [final] * len(piece)
        return Folded("".join(text), starts, ends)


def folded(text):
    """`text` folded (tokens.normalise), with the origin of each character."""
    return Folded(text or "").without_gaps().nfkc_lower().without_gaps()


def safe_cut(text, at):
    """The first place at or after `at` where `text` may be cut into two
    pieces that fold on their own to what they are in the whole (or its end)."""
    if at >= len(text):
        return len(text)
    cut = _SAFE_CUT.search(text, at)
    return len(text) if cut is None else cut.start()


def chunk_bounds(text, size=CHUNK_CHARS):
    """(start, end) of pieces of `text`, each folding to what it is in the whole."""
    start = 0
    while start < len(text):
        end = safe_cut(text, start + size)
        yield start, end
        start = end


class ChunkedFold:
    """A long text folded in chunks: the folded text at once, the origin of
    a folded position worked out only for the chunks asked about (those
    around the matches an excerpt shows)."""

    def __init__(self, text):
        self.original = text
        self.chunks = list(chunk_bounds(text))
        folds = [fold(text[a:b]) for a, b in self.chunks]
        self.text = "".join(folds)
        self.fold_starts = list(itertools.accumulate(map(len, folds), initial=0))
        self._fine = {}

    def origin(self, index):
        """The original (start, end) of folded character `index`."""
        chunk = min(bisect.bisect_right(self.fold_starts, index) - 1, len(self.chunks) - 1)
        chunk_start, chunk_end = self.chunks[chunk]
        if chunk not in self._fine:
            self._fine[chunk] = folded(self.original[chunk_start:chunk_end])
        fine = self._fine[chunk]
        local = min(index - self.fold_starts[chunk], len(fine.text) - 1)
        start, end = fine.span(local, local + 1)
        return chunk_start + start, chunk_start + end

    def spans(self, pattern):
        """The original spans of `pattern`'s matches, in order, overlaps
        joined; lazily, so an excerpt maps only those it shows."""
        pending = None
        for match in pattern.finditer(self.text):
            if match.end() == match.start():
                continue
            span = (self.origin(match.start())[0], self.origin(match.end() - 1)[1])
            if pending and span[0] < pending[1]:
                pending = (pending[0], max(span[1], pending[1]))
                continue
            if pending:
                yield pending
            pending = span
        if pending:
            yield pending
