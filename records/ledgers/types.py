"""The values the legacy-ledger import wizard passes between its steps
(issue 15): a workbook read into plain rows, the user's plan for reading
it, and what checking a plan found. Plain dataclasses; the only behaviour
is which rows and sheets hold data."""
from dataclasses import dataclass, field


@dataclass
class Row:
    """One spreadsheet row as the user sees it in Excel."""

    number: int  # Excel's row number (1 = the first row of the sheet)
    cells: list  # cell values (str, int, float, datetime, date, None), column A first

    @property
    def has_data(self):
        return any(not (value is None or (isinstance(value, str) and not value.strip())) for value in self.cells)


@dataclass
class FormulaCell:
    row: int  # Excel row number
    column: str  # Excel column letter(s), e.g. "C"


@dataclass
class SheetTable:
    """One worksheet (or the one table of a CSV file), blank rows kept
    (they are skipped when converting, never an error)."""

    name: str
    rows: list  # [Row], in order
    formula_cells: list = field(default_factory=list)  # [FormulaCell]; their cells read as None

    @property
    def width(self):
        return max((len(row.cells) for row in self.rows), default=0)


@dataclass
class Workbook:
    original_name: str
    sheets: list  # [SheetTable]; a CSV file has one, named after the file

    def sheet(self, name):
        return next(sheet for sheet in self.sheets if sheet.name == name)

    def sheets_with_data(self):
        """(sheet, number of non-blank rows) of each sheet holding data."""
        counted = [(sheet, sum(1 for row in sheet.rows if row.has_data)) for sheet in self.sheets]
        return [(sheet, count) for sheet, count in counted if count]


@dataclass
class LedgerPlan:
    """How to read one sheet into one ledger: which row holds the headers,
    which field each column feeds ("" = ignored), and the values the file
    lacks, filled from the page (FILL_* names below)."""

    kind: str  # a registered ledger kind: "records", "contracts", "clients"
    sheet_name: str
    header_row: int  # Excel row number of the header row
    mapping: list  # one entry per column (A, B, …): a resource field name or ""
    fills: dict = field(default_factory=dict)  # {fill name: value}


# Fill names a kind may support (LedgerKind.fills).
FILL_CATEGORY = "category_code"  # class code for rows without one
FILL_YEAR_FROM_DATE = "year_from_date"  # True: a row without a year takes its date's year
FILL_SECURITY_LEVEL = "security_level"  # a SecurityLevel value
FILL_RETENTION = "retention"  # retention as the catalogue column reads it (e.g. "30年", "永久")
FILL_LOCATION = "location"  # a Location full_code (the box)


@dataclass
class Problem:
    """One thing wrong, in the user's terms; row/column None when the
    problem is the whole file's or a whole column's."""

    message: str  # translated, complete sentence naming row and column as Excel shows them
    row: int | None = None
    column: str | None = None


@dataclass
class Checked:
    """What a dry run of a plan found."""

    rows: int  # data rows read (blank rows and title rows not counted)
    problems: list  # [Problem], at most MAX_PROBLEMS
    problem_count: int  # all problems, including those not listed
    notes: list  # translated sentences: what was filled in from the page, columns ignored …
    totals: dict  # {"new": n, "skip": n}: rows to add, rows already in the archive
    preview: list  # the first PREVIEW_ROWS converted rows: [(excel row number, {column_name: value})]
    headers: list  # canonical column names of the converted dataset, in order

    @property
    def importable(self):
        return self.problem_count == 0 and self.rows > 0


MAX_PROBLEMS = 200
PREVIEW_ROWS = 50
