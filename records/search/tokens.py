"""Text → tokens, query → match expression (R-FILE-4).

Normalisation (`normalise`, the one function for titles, notes, every body
field, extracted file text and queries): NFKC, so full-width forms are the
half-width ones (ＡＢＣ１２３ = abc123), lower case, and whitespace standing
between two Chinese characters or Chinese punctuation removed: a PDF's text
layout breaks words across lines (档案⏎管理), Chinese has no spaces to keep.

Tokens, in the order they stand (phrases need their positions):
- a run of Chinese characters is its overlapping bigrams (户外宣传 → 户外 外宣
  宣传) and, when another piece follows it directly (合同HT2024), its last
  character too; its other single characters come after everything else,
  for one-character queries;
- a run of letters and digits is a word (matched from its start);
- every other character (punctuation) is a token `zq` + its hex code point
  + `x` + the word or Chinese character right after it (·2019 → zqb7x2019,
  see `punctuation_token`), and whitespace between two pieces is one token BREAK, so that
  pieces separated by a space, or standing in two fields, are not adjacent.

A query is split at its whitespace; each part is ONE phrase of its pieces'
tokens (Chinese, words and the punctuation between them, in order), so
`HTDL·2019` matches only where those stand together as typed. Every part must
match; the query's last word matches as a prefix, and so does a single Chinese
character or punctuation ending a part (in the text more may follow).

Facets (security level, state, class, year, ...) are indexed as marker tokens
starting with `zz` and a short tag (zzlvconfidential, zzcathtdl); punctuation
tokens start with `zq`, below them. Visibility is expressed as exclusions (NOT
confidential), which FTS5 evaluates far faster than a union of large allowed
sets (measured: 19 ms against 51 ms at a million records).

The index holds the tokens; an entry keeps only its `indexed_text`, and the
index's triggers make the tokens from it again when the entry changes or goes
(records.search.storage), so the tokens of an unchanged text must never
change. Entries written before this scheme (runs one space apart, nothing
else) are still read by `_legacy_tokens`; a text in this scheme whose legacy
reading would differ starts with VERSION_MARK. So a plain `rebuild_search_index`
moves an archive to this scheme; no --from-scratch is needed.
"""
import operator
import re
from dataclasses import dataclass

from records.search.folding import CJK, fold

# The Chinese characters and punctuation, and the folding of text (one home:
# records.search.folding, which the excerpts use to find matches in the
# original text).
_CJK = CJK
_SPACES = re.compile(r"\s+")
_IS_CJK = re.compile(rf"[{_CJK}]")
_PIECE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)|(?P<space>\s+)|(?P<mark>.)", re.S)
_ONE_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")

MARKER_PREFIX = "zz"
PUNCTUATION_PREFIX = "zq"
BREAK = "zq20"  # a space's code point: whatever whitespace stood there
# Leads an indexed text whose tokens the legacy reading would get wrong.
# Whitespace to everything that normalises, so it never reaches a token.
VERSION_MARK = "\x1f"


def normalise(text):
    """NFKC (full-width = half-width), lower case, and whitespace between
    two Chinese characters or Chinese punctuation removed (档案⏎管理 →
    档案管理); other whitespace is kept as it is (records.search.folding)."""
    return fold(text)


def punctuation_token(character, following=None):
    """`zq` + the code point in hex + `x` + what follows it directly: the
    word, or the first character of a Chinese run (nothing before a space,
    other punctuation or the end). A bare · stands in every archive number:
    as a token of its own its list of records is the whole archive, and a
    phrase with it read all of it (~100 ms at a million records); ·2019 is
    as rare as 2019."""
    if following is None:
        tail = ""
    else:
        kind, value = following.lastgroup, following.group()
        tail = value if kind == "word" else value[0] if kind == "cjk" else ""
    return f"{PUNCTUATION_PREFIX}{ord(character):x}x{tail}"


def _next(pieces, index):
    return pieces[index + 1] if index + 1 < len(pieces) else None


def _bigrams(run):
    return list(map(operator.add, run, run[1:]))


def indexed_text(*texts, markers=()):
    """The texts as the index reads them: each normalised, its whitespace
    one space, the texts (fields) one space apart, then the markers. The
    tokens are made from it (`indexed_tokens`), so an entry keeps this and
    the tokens themselves live only in the index. An indexed text given
    again (it starts with VERSION_MARK) is returned as it is: normalising it
    again would join two fields' Chinese across the space between them."""
    if len(texts) == 1 and not markers and (texts[0] or "").startswith(VERSION_MARK):
        return texts[0]
    pieces = [_SPACES.sub(" ", normalise(text)).strip() for text in texts]
    text = " ".join([piece for piece in pieces if piece] + list(markers))
    if not text or _ONE_RUN.fullmatch(text):
        return text  # read alike by both readings
    return VERSION_MARK + text


def text_tokens(*texts, markers=()):
    """Index tokens of some texts (as separate fields)."""
    return indexed_tokens(indexed_text(*texts, markers=markers))


def indexed_tokens(text):
    """The tokens of an `indexed_text`, without normalising it again: the
    index's triggers make them for every entry written or removed."""
    if text.startswith(VERSION_MARK):
        return _piece_tokens(text[1:])
    return _legacy_tokens(text)


def _piece_tokens(text):
    sequence, singles = [], []
    pieces = list(_PIECE.finditer(text))
    for index, piece in enumerate(pieces):
        kind, value = piece.lastgroup, piece.group()
        if kind == "cjk":
            if len(value) == 1:
                sequence.append(value)
                continue
            sequence += _bigrams(value)
            followed = index + 1 < len(pieces) and pieces[index + 1].lastgroup != "space"
            if followed:
                sequence.append(value[-1])
                singles += value[:-1]
            else:
                singles += value
        elif kind == "word":
            if value.startswith(MARKER_PREFIX) and sequence and sequence[-1] == BREAK:
                sequence.pop()  # a marker is never part of a phrase: no break needed
            sequence.append(value)
        elif kind == "space":
            if sequence and not sequence[-1].startswith(MARKER_PREFIX):
                sequence.append(BREAK)
        else:
            sequence.append(punctuation_token(value, _next(pieces, index)))
    if sequence and sequence[-1] == BREAK:
        sequence.pop()
    if singles and sequence and not _is_bigram(sequence[-1]):
        # The single characters are no continuation of the text before them
        # (a title 档案归档0 must not match 0档). After a bigram no phrase can
        # run on into them, so a lone Chinese run reads as it always did.
        sequence.append(BREAK)
    return sequence + singles


def _is_bigram(token):
    return len(token) == 2 and _IS_CJK.match(token) is not None and _IS_CJK.match(token[1]) is not None


def _legacy_tokens(text):
    """Entries indexed before punctuation and breaks were tokens: their runs
    one space apart, read exactly as they were indexed."""
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
    """A phrase: its tokens in order, the last one a prefix if `prefix`."""

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


def query_parts(text):
    """The parts of a typed query: split at whitespace, each normalised."""
    return [part for raw in (text or "").split() for part in normalise(raw).split()]


def _part_phrase(part):
    """(tokens of one query part in order, how its last piece ends it:
    'word', 'char' (one Chinese character after other pieces), 'mark'
    (punctuation: in the text something may follow it) or None)."""
    tokens, pieces = [], list(_PIECE.finditer(part))
    for index, piece in enumerate(pieces):
        kind, value = piece.lastgroup, piece.group()
        if kind == "cjk":
            if len(value) == 1:
                tokens.append(value)
            else:
                tokens += _bigrams(value)
                if index + 1 < len(pieces):
                    tokens.append(value[-1])  # the text's run ends here too
        elif kind == "word":
            tokens.append(value)
        else:
            tokens.append(punctuation_token(value, _next(pieces, index)))
    last = pieces[-1].lastgroup if pieces else None
    if last == "cjk" and len(pieces) > 1 and len(pieces[-1].group()) == 1:
        return tokens, "char"
    return tokens, {"word": "word", "mark": "mark"}.get(last)


def query_terms(text):
    """The terms of a typed query: one phrase per whitespace-separated part,
    every one must match. The query's last word is a prefix (not a word the
    index reserves: markers, punctuation); so is a single Chinese character
    ending a part of several pieces."""
    phrases = [_part_phrase(part) for part in query_parts(text)]
    last_word = max((i for i, (_tokens, end) in enumerate(phrases) if end == "word"), default=None)
    terms = []
    for index, (tokens, end) in enumerate(phrases):
        if not tokens:
            continue
        reserved = tokens[-1].startswith((MARKER_PREFIX, PUNCTUATION_PREFIX))
        prefix = end in ("char", "mark") or (end == "word" and index == last_word and not reserved)
        fused = len(tokens) > 1 and tokens[-2].startswith(PUNCTUATION_PREFIX) and tokens[-2].endswith("x" + tokens[-1])
        if prefix and end == "word" and fused:
            tokens = tokens[:-1]  # ·20* : the punctuation's token already begins with the word
        terms.append(Term(tuple(tokens), prefix=prefix))
    # The same term twice adds nothing but work.
    return list(dict.fromkeys(terms))
