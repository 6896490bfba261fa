"""Finding a legacy sheet's header row and mapping its columns to a
resource's fields (issue 15).

Headers are compared normalised: full-width forms as half-width (NFKC),
case ignored, every space and line break removed (so 成文\\n日期 and
"成 文 日 期" are 成文日期); when that finds nothing, a bracketed note and
marks such as * and a final colon are dropped too (金额（元） is 金额,
*题名 is 题名). A header names a field when it is the field's name, its
column name in English or Chinese (as records.resources.prepare_headers
reads them, so an export is recognised) or one of the kind's synonyms.

- find_header_row: among the first HEADER_SEARCH_ROWS non-blank rows, the
  one naming most distinct fields, at least MIN_HEADERS of them; a title
  row (归档文件目录, merged over the table) names none and is passed over.
- propose_mapping: a saved template's choices first (by header text, so
  columns may move), then the resource's own column names, then synonyms,
  each field to one column only. Columns the import writes come before the
  export-only ones (a legacy 类别 column is the class code; in an export,
  where 类别代码 stands beside it, 类别 is the export-only class name).
  A counter column (序号, 编号, No., # holding 1, 2, 3 …) is ignored; 编号
  holding other values goes to the field whose synonym it is.
"""
import itertools
import re
import unicodedata

from django.utils.translation import override

from records.ledgers.kinds import ledger_kind
from records.resources.widgets import cell_text, is_blank

HEADER_SEARCH_ROWS = 20
MIN_HEADERS = 2
COUNTER_HEADERS = frozenset({"序号", "顺序号", "序", "编号", "行号", "no", "no.", "#", "№", "nr", "nr."})
COUNTER_SAMPLE_ROWS = 100
_SPACES = re.compile(r"\s+")
_NOTES = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|[*:]")


def normalised_header(text):
    """A header as compared: NFKC, case folded, without any whitespace."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).casefold()


def _loose(key):
    return _NOTES.sub("", key)


def header_labels(sheet, header_row):
    """The header texts of row `header_row`, one per column of the sheet
    ("" for an empty cell), whitespace runs shown as one space."""
    cells = _row_cells(sheet, header_row)
    labels = ["" if is_blank(value) else " ".join(cell_text(value).split()) for value in cells]
    return labels + [""] * (sheet.width - len(labels))


def _row_cells(sheet, number):
    return next((row.cells for row in sheet.rows if row.number == number), [])


class _Vocabulary:
    """The header texts of one kind, normalised: {text: field name} for the
    resource's own names and for the synonyms, writable fields apart from
    export-only ones."""

    def __init__(self, kind):
        self.fields = kind.resource_class.fields
        readonly = {name for name, field in self.fields.items() if field.readonly and not _read_on_import(kind, name)}
        own, synonyms = {}, {}
        for name, field in self.fields.items():
            keys = {normalised_header(name)}
            for language in ("en", "zh-hans"):
                with override(language):
                    keys.add(normalised_header(str(field.column_name)))
            for key in keys:
                own.setdefault(key, name)
        for name, texts in kind.synonyms.items():
            for text in texts:
                synonyms.setdefault(normalised_header(text), name)
        self.passes = [
            {key: name for key, name in own.items() if name not in readonly},
            {key: name for key, name in synonyms.items() if name not in readonly},
            {key: name for key, name in own.items() if name in readonly},
            {key: name for key, name in synonyms.items() if name in readonly},
        ]

    def fields_named(self, text):
        """The fields a header names, best first (may be empty)."""
        key = normalised_header(text)
        found = []
        for names in self.passes:
            name = names.get(key) or names.get(_loose(key))
            if name is not None:
                found.append(name)
        return found


def _read_on_import(kind, name):
    """A read-only column the kind lists synonyms for is one its resource
    reads on import all the same (a contract's archive number and title:
    contracts.resources)."""
    return name in kind.synonyms


_VOCABULARIES = {}


def _vocabulary(kind):
    if kind.code not in _VOCABULARIES:
        _VOCABULARIES[kind.code] = _Vocabulary(kind)
    return _VOCABULARIES[kind.code]


def find_header_row(sheet, kind):
    """The Excel row number of the sheet's header row, or None when no row
    among the first HEADER_SEARCH_ROWS non-blank ones names MIN_HEADERS
    fields of the kind."""
    vocabulary = _vocabulary(ledger_kind(kind))
    best, best_score = None, MIN_HEADERS - 1
    rows = (row for row in sheet.rows if row.cells)
    for _index, row in zip(range(HEADER_SEARCH_ROWS), rows):
        named = set()
        for value in row.cells:
            if isinstance(value, str) and value.strip():
                named.update(vocabulary.fields_named(value)[:1])
        if len(named) > best_score:
            best, best_score = row.number, len(named)
    return best


def propose_mapping(sheet, header_row, kind, template_mapping=None):
    """One resource field name (or "" for an ignored column) per column of
    the sheet. `template_mapping` ({header text: field name or ""}, a saved
    LedgerTemplate's) decides the columns whose header it names."""
    kind = ledger_kind(kind)
    vocabulary = _vocabulary(kind)
    labels = header_labels(sheet, header_row)
    mapping = [""] * len(labels)
    decided = _apply_template(labels, template_mapping or {}, vocabulary, mapping)
    for index in _counter_columns(sheet, header_row, labels):
        decided.add(index)
    taken = set(mapping) - {""}
    for pass_names in vocabulary.passes:
        for index, label in enumerate(labels):
            if index in decided or not label:
                continue
            key = normalised_header(label)
            name = pass_names.get(key) or pass_names.get(_loose(key))
            if name is not None and name not in taken:
                mapping[index] = name
                taken.add(name)
                decided.add(index)
    return mapping


def _apply_template(labels, template_mapping, vocabulary, mapping):
    """Columns the template names, set in `mapping`; returns their indexes."""
    chosen = {normalised_header(text): name for text, name in template_mapping.items()}
    decided = set()
    for index, label in enumerate(labels):
        key = normalised_header(label)
        if not label or key not in chosen:
            continue
        name = chosen[key]
        if name and (name not in vocabulary.fields or name in mapping):
            continue
        mapping[index] = name
        decided.add(index)
    return decided


def _counter_columns(sheet, header_row, labels):
    """Columns headed 序号/编号/No./# whose values count rows (whole numbers
    only): they are the ledger's own numbering, not data."""
    counters = [index for index, label in enumerate(labels) if normalised_header(label) in COUNTER_HEADERS]
    if not counters:
        return []
    below = (row.cells for row in sheet.rows if row.number > header_row and row.cells)
    sample = list(itertools.islice(below, COUNTER_SAMPLE_ROWS))
    return [index for index in counters if all(_whole_number(cells[index]) for cells in sample if index < len(cells))]


def _whole_number(value):
    if is_blank(value):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return True
    return isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().isdigit()
