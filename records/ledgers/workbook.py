"""Reading an uploaded legacy ledger into plain rows (issue 15): read_workbook."""
from records.ledgers.types import Workbook  # noqa: F401


def read_workbook(file, name):
    """Read a seekable binary file `name` (.xlsx or .csv) into a Workbook;
    raises records.imports.ImportFileRefused."""
    raise NotImplementedError
