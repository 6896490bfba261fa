"""How an import's result becomes the wizard's problems (issue 15,
records.ledgers.run): every problem as a Problem in the user's rows and
columns, sorted by row and column; an error the archive did not word (a
library's, a bug) logged and worded here, never shown as it is; and what a
large import keeps of its rows (as little as it can)."""
import contextlib
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from import_export.results import Result
from openpyxl.utils import column_index_from_string

from core.exceptions import ActionRefused
from core.text import join_clauses
from records.imports import ImportFileRefused
from records.ledgers.layout import shown_row
from records.ledgers.types import Problem
from records.resources.widgets import ImportCellError

logger = logging.getLogger("records.ledgers.run")

SYSTEM_ERROR = gettext_lazy(
    "The file could not be imported because of an error in the archive system; it has been logged."
)
# Problems named in the message of a refused import (the preview lists them all).
REFUSAL_PROBLEMS = 10


@contextlib.contextmanager
def worded_failure():
    """An exception escaping the resource (a bug, a library's own error)
    is logged and refused in our words; nothing was written."""
    try:
        yield
    except ActionRefused:
        raise
    except Exception:
        logger.exception("Ledger import failed")
        raise ImportFileRefused(SYSTEM_ERROR) from None


class LeanResult(Result):
    """A result that keeps only the rows with errors: the wizard reads its
    totals and problems, never the rows themselves (200,000 row results
    are not kept while the rows are written)."""

    def append_row_result(self, row_result):
        if row_result.errors:
            self.rows.append(row_result)

    def row_errors(self):
        return [(row.number, row.errors) for row in self.error_rows]


def watch_rows(resource, total, progress):
    """Each row's result lets go of the row's values (the resources keep
    them for the back office's preview; the wizard previews its dataset),
    so 200,000 rows are not held twice; `progress(done, total)` is told
    each row read."""
    import_row = resource.import_row
    done = 0

    def watched(*args, **kwargs):
        nonlocal done
        row_result = import_row(*args, **kwargs)
        row_result.row_values = {}
        done += 1
        if progress is not None:
            progress(done, total)
        return row_result

    resource.import_row = watched


def result_problems(result, resource, layout):
    """Every problem of an import result as a Problem, worded for the user."""
    problems = [Problem(message) for error in result.base_errors for message in _error_texts(error)]
    for number, errors in result.row_errors():
        row = shown_row(number)
        for error in errors:
            for message in _error_texts(error, row=row):
                problems.append(Problem(message, row=row))
    columns = {field.attribute: field.column_name for field in resource.fields.values()}
    for invalid in result.invalid_rows:
        row = shown_row(invalid.number)
        for attribute, messages in invalid.error_dict.items():
            column_name = columns.get(attribute)
            if (row, column_name) in layout.already_said:
                continue
            letter = layout.columns.get(column_name, (None, ""))[0]
            problems.extend(Problem(str(message), row=row, column=letter) for message in messages)
    return problems


def _error_texts(error, row=None):
    """The translated texts of an error, or our own words for one the
    archive did not word (an exception of a library or a bug, logged)."""
    exception = error.error
    if isinstance(exception, ActionRefused):
        return list(getattr(exception, "messages", None) or [exception.message])
    if isinstance(exception, ValidationError):
        return [str(message) for message in exception.messages]
    if isinstance(exception, ImportCellError) and row is not None:
        return [_("Row %(row)d: %(reason)s") % {"row": row, "reason": exception}]
    logger.error("Ledger import error (row %s): %r\n%s", row, exception, getattr(error, "traceback", ""))
    if row is None:
        return [str(SYSTEM_ERROR)]
    return [_("Row %(row)d could not be read because of an error in the archive system; it has been logged.")
            % {"row": row}]


def sorted_problems(problems):
    """By row, then column; the whole file's problems first."""

    def key(problem):
        column = column_index_from_string(problem.column) if problem.column else 0
        return (problem.row or 0, column)

    return sorted(problems, key=key)


def refusal(problems):
    """The refusal of an import with `problems`, naming the first of them."""
    problems = sorted_problems(problems)
    listed = [problem.message for problem in problems[:REFUSAL_PROBLEMS]]
    text = _("Nothing was imported: %(problems)s") % {"problems": join_clauses(listed)}
    rest = len(problems) - len(listed)
    if rest:
        text += " " + ngettext(
            "(%(count)d more problem is not listed.)", "(%(count)d more problems are not listed.)", rest
        ) % {"count": rest}
    return ImportFileRefused(text)
