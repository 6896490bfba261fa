"""Every ledger import reads text and date cells under the archive's rules
(records.resources.widgets): a control character is refused naming row and
column, invisible bidi marks are dropped, dates outside 1900–2999 are
refused; the contract ledger and the client directory included."""
import pytest
from django.utils import translation

from contracts.models import Contract
from records.resources.widgets import ImportCellError, ImportDateWidget, TextWidget
from tests.contracts.test_import_ledger import counts, good_rows, run
from tests.spreadsheets import xlsx_bytes


@pytest.mark.parametrize("value", ["A\x00B", "第一行\n第二行", "tab\there"])
def test_a_single_line_cell_refuses_control_characters(value):
    with translation.override("en"), pytest.raises(ImportCellError, match="The cell contains a control character"):
        TextWidget().clean(value)


def test_a_notes_cell_keeps_its_line_breaks_and_loses_bidi_marks():
    assert TextWidget(multiline=True).clean("第一行\n\u202e第二行") == "第一行\n第二行"


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_date_cell_out_of_range_is_refused(value):
    with translation.override("en"), pytest.raises(ImportCellError, match="between 1900-01-01 and 2999-12-31"):
        ImportDateWidget().clean(value)


def test_a_date_cell_in_range_is_read():
    assert ImportDateWidget().clean("2024年3月31日").isoformat() == "2024-03-31"


@pytest.mark.parametrize(
    "column, value, expected",
    [
        (4, "华东\n科技", "Row 3, column “counterparty”: The cell contains a control character (U+000A)"),
        (5, "0001-01-01", "Row 3, column “signed on”: The date must be between 1900-01-01 and 2999-12-31."),
    ],
)
def test_the_contract_ledger_import_refuses_bad_cells_and_writes_nothing(archivist, column, value, expected):
    rows = good_rows()
    rows[2][column] = value
    before = counts()
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert any(message.startswith(expected) for message in messages), messages
    assert counts() == before


def test_the_contract_ledger_import_drops_bidi_marks(archivist):
    rows = good_rows()
    rows[2][4] = "\u202e杭州灯箱厂"
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert Contract.objects.get(contract_number="SCB-HT-2024-017").counterparty_name == "杭州灯箱厂"
