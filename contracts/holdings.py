"""Where a contract's originals and copies are held (R-CONTRACT: agreements
have one original with 总经办 and one with 市场部), written as one line of
text. The one home of that text: the ledger screens, the printed register
and the ledger export show it with `holdings_text`, and the ledger import
reads it back with `parse_holdings`.

The form is "<holder> <original or copy>×<copies>" per holding, in the
order of the Holder and OriginalOrCopy choices, joined by a translatable
separator: 总经办 原件×1；市场部 复印件×2 in Chinese, "General manager's
office original×1; Marketing department copy×2" in English.
"""
import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.text import join_clauses
from contracts.models import Holder, OriginalOrCopy
from records.resources import ImportCellError

#: Entries of a cell are separated by any of these (Chinese or ASCII
#: punctuation, or one entry per line).
_SEPARATORS = re.compile(r"[;；,，、\r\n]+")
_SPACES = re.compile(r"\s+")
_CHINESE_NUMBERS = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}
# The count at the end of an entry: ×2, x2, X 2, *2 or 2份. "×" and "*"
# cannot be part of a name, so whatever follows them is read as the count
# (and refused if it is none); "x" counts only before digits, because
# English names hold the letter.
_COUNT_AFTER_SIGN = re.compile(r"(?P<name>.*?)\s*[×*＊]\s*(?P<count>[^×*＊]*?)\s*")
_COUNT_AFTER_X = re.compile(r"(?P<name>.*?)\s*[xXｘＸ]\s*(?P<count>[-+]?\d+)\s*")
_COUNT_BEFORE_FEN = re.compile(r"(?P<name>.*?)\s*(?P<count>[-+]?\d+|[一二两三四五六七八九十])\s*份\s*")
MAX_COPIES = 32767  # ContractHolding.copies is a PositiveSmallIntegerField


def holdings_entries(contract):
    """One text per holding of `contract`, in the active language, e.g.
    ["总经办 原件×1", "市场部 原件×1"] (R-CONTRACT). Reads
    contract.holdings.all(), so prefetch "holdings" for a list."""
    holder_order = {value: index for index, value in enumerate(Holder.values)}
    kind_order = {value: index for index, value in enumerate(OriginalOrCopy.values)}
    holdings = sorted(
        contract.holdings.all(),
        key=lambda holding: (holder_order.get(holding.holder, 99), kind_order.get(holding.original_or_copy, 99)),
    )
    # The choice label is lowercased so that English reads "… office original×1";
    # Chinese has no case and is unchanged.
    return [
        f"{holding.get_holder_display()} {str(holding.get_original_or_copy_display()).lower()}×{holding.copies}"
        for holding in holdings
    ]


def holdings_text(contract):
    """The holdings on one line, e.g. "总经办 原件×1；市场部 原件×1", as the
    registers print them and the ledger import reads them back."""
    return join_clauses(holdings_entries(contract))


def _labels(choices):
    """{text: value} for the codes and the English and Chinese labels."""
    by_text = {}
    for value, label in choices.choices:
        by_text[_normal(value).casefold()] = value
        for language in ("en", "zh-hans"):
            with override(language):
                by_text[_normal(str(label)).casefold()] = value
    return by_text


def _normal(text):
    """One space between words; curly apostrophes (a spreadsheet's
    autocorrect) read as straight ones."""
    return _SPACES.sub(" ", text.replace("’", "'").replace("‘", "'")).strip()


def _split_count(entry):
    """(name, count) of one entry; the count is 1 when none is written."""
    for pattern in (_COUNT_AFTER_SIGN, _COUNT_AFTER_X, _COUNT_BEFORE_FEN):
        match = pattern.fullmatch(entry)
        if match:
            return match.group("name").strip(), _copies(match.group("count"), entry)
    return entry, 1


def _copies(text, entry):
    text = text.strip()
    if re.fullmatch(r"[-+]?\d+", text):
        copies = int(text)
    else:
        copies = _CHINESE_NUMBERS.get(text, 0)
    if not 1 <= copies <= MAX_COPIES:
        raise ImportCellError(
            _("“%(value)s”: the number of copies must be a whole number of at least 1") % {"value": entry}
        )
    return copies


def _split_name(name, entry, holders, kinds):
    """(holder, original_or_copy) of an entry's name part."""
    folded = name.casefold()
    for text in sorted(kinds, key=len, reverse=True):
        if folded.endswith(text) and len(folded) > len(text):
            holder_text = name[: len(name) - len(text)].strip()
            try:
                return holders[holder_text.casefold()], kinds[text]
            except KeyError:
                raise ImportCellError(_("unknown holder “%(value)s”") % {"value": holder_text}) from None
    if folded in holders:
        return holders[folded], OriginalOrCopy.ORIGINAL
    for text in sorted(holders, key=len, reverse=True):
        if folded.startswith(text):
            rest = name[len(text) :].strip()
            raise ImportCellError(
                _("“%(value)s” in “%(entry)s” is neither original nor copy") % {"value": rest, "entry": entry}
            )
    raise ImportCellError(_("unknown holder “%(value)s”") % {"value": name or entry})


def parse_holdings(text):
    """[(holder, original_or_copy, copies)] read from one cell of the
    ledger, in the order written.

    Entries are separated by ；; , ，、 or new lines. Each is a holder (its
    Chinese or English label or its code, any case), then optionally 原件 /
    复印件 / original / copy (original when left out), then optionally a
    count written ×2, x2, X 2, *2 or 2份 (1 when left out). Raises
    ImportCellError naming the piece for an unknown holder, an unknown
    original-or-copy word, a count below 1, or the same holder and
    original-or-copy given twice."""
    if text is None:
        return []
    holders = _labels(Holder)
    kinds = _labels(OriginalOrCopy)
    parsed, seen = [], set()
    for raw in _SEPARATORS.split(str(text)):
        entry = _normal(raw)
        if not entry:
            continue
        name, copies = _split_count(entry)
        holder, kind = _split_name(name, entry, holders, kinds)
        if (holder, kind) in seen:
            raise ImportCellError(
                _("%(holder)s (%(kind)s) is given twice")
                % {"holder": Holder(holder).label, "kind": OriginalOrCopy(kind).label}
            )
        seen.add((holder, kind))
        parsed.append((holder, kind, copies))
    return parsed
