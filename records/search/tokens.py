"""Text → tokens, query → match expression.

Chinese has no spaces, and users type any part of a title. Each run of Chinese
characters is indexed as its overlapping bigrams in order (户外宣传 → 户外 外宣
宣传), followed by its single characters. A query of two or more Chinese
characters becomes the phrase of its bigrams, which matches exactly where the
characters stand next to each other; one character matches the single-character
tokens. Runs of Latin letters and digits are words, matched by prefix, so an
archive-number fragment such as `HTDL·2024` or `SCB-00` finds its records.

Facets (security level, state, class, year, ...) are indexed as marker tokens
starting with `zz` and a short tag (zzlvconfidential, zzcathtdl); a word of a
title would have to begin with those letters to collide. Visibility is expressed as
exclusions (NOT confidential), which FTS5 evaluates far faster than a union of
large allowed sets (measured: 19 ms against 51 ms at a million records).

The index holds the tokens; an entry keeps only its `indexed_text`, and the
tokens are made from it again when it changes (records.search.storage). So a
change of `text_tokens` needs `manage.py rebuild_search_index --from-scratch`.
"""
import operator
import re
import unicodedata
from dataclasses import dataclass

# CJK unified ideographs (with extension A), compatibility ideographs.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")

MARKER_PREFIX = "zz"


def normalise(text):
    """Full-width letters and digits to ASCII, lower case (NFKC)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _runs(text):
    for match in _RUN.finditer(normalise(text)):
        run = match.group()
        yield run, bool(_IS_CJK.match(run))


def text_tokens(*texts):
    """Index tokens of some texts: words and bigram sequences first (phrases
    need their positions next to each other), then single characters."""
    sequence, singles = [], []
    for text in texts:
        for run, is_cjk in _runs(text):
            if not is_cjk:
                sequence.append(run)
            elif len(run) == 1:
                sequence.append(run)
            else:
                sequence.extend(run[i : i + 2] for i in range(len(run) - 1))
                singles.extend(run)
    return sequence + singles


def indexed_text(*texts):
    """The texts as the index reads them: their normalised runs, one space
    apart. `text_tokens(indexed_text(*texts)) == text_tokens(*texts)`, so an
    entry keeps this (a quarter of the size of its tokens for Chinese) and
    the tokens themselves live only in the index."""
    return " ".join(run for text in texts for run, _is_cjk in _runs(text))


def indexed_tokens(text):
    """`text_tokens` of an `indexed_text`, read without normalising it again:
    the index's triggers make the tokens of every entry written or removed
    with it (records.search.storage), four times per rewritten entry."""
    sequence, singles = [], []
    for run in text.split():
        if len(run) > 1 and _IS_CJK.match(run):
            sequence += map(operator.add, run, run[1:])  # its bigrams, in order
            singles += run
        else:
            sequence.append(run)
    return sequence + singles


def marker(tag, value=""):
    """A facet token, e.g. marker("lv", "confidential") → 'zzlvconfidential'."""
    value = re.sub(r"[^0-9a-z]", "", str(value).lower())
    return f"{MARKER_PREFIX}{tag}{value}"


# ---- match expressions, rendered for each backend -------------------------


@dataclass(frozen=True)
class Term:
    """A word (prefix match), a single character or a bigram phrase."""

    tokens: tuple
    prefix: bool = False


@dataclass(frozen=True)
class Marker:
    token: str


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


@dataclass(frozen=True)
class InTitle:
    """`node` matched in the title only (ranks a record first)."""

    node: object


@dataclass(frozen=True)
class Without:
    """`base` and none of `excluded`."""

    base: object
    excluded: tuple


def query_terms(text):
    """The terms of a typed query: every whitespace-separated part must match;
    inside a part, each run of Chinese or of letters and digits is a term."""
    terms = []
    runs = list(_runs(text))
    last_word = max((i for i, (_run, is_cjk) in enumerate(runs) if not is_cjk), default=None)
    for index, (run, is_cjk) in enumerate(runs):
        if not is_cjk:
            terms.append(Term((run,), prefix=index == last_word))
        elif len(run) == 1:
            terms.append(Term((run,)))
        else:
            terms.append(Term(tuple(run[i : i + 2] for i in range(len(run) - 1))))
    # The same term twice adds nothing but work.
    return list(dict.fromkeys(terms))


def highlight_terms(text):
    """Substrings to mark in displayed results: Chinese runs and words as typed."""
    return sorted({run for run, _ in _runs(text)}, key=len, reverse=True)
