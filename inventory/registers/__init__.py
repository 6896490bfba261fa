"""The inventory app's registers (issue 13), each a
records.printing.TableRegister: a PDF with the header on every page,
"第 x 页 共 y 页", totals and signature lines, or an Excel workbook.

    report.py      盘点报告: the stocktake report, of all boxes or one (R-INV-1)
    write_offs.py  核销登记簿: the write-offs of a year (R-INV-3)
    sheets.py      the report's workbook: totals on one sheet, differences on another
    forms.py       what each register selects
    common.py      who may print them; records as the reader may see them; wording

Each register is a source of records.register_jobs (`register_sources`,
called in InventoryConfig.ready()): printed at once when short, by a
background job when long, for the same reader, who must still be allowed
to read stocktakes (inventory.policies.may_view) when the job runs."""
from inventory.registers.forms import StocktakeReportForm, WriteOffRegisterForm
from inventory.registers.report import render_stocktake_report, report_from_form, stocktake_report
from inventory.registers.write_offs import write_off_register, write_off_register_from_form
from records.register_jobs import register_source

# records.register_jobs source name -> (form, builder).
SOURCES = {
    "inventory_stocktake_report": (StocktakeReportForm, report_from_form),
    "inventory_write_offs": (WriteOffRegisterForm, write_off_register_from_form),
}


def register_sources():
    for name, (form_class, build) in SOURCES.items():
        register_source(name, form_class=form_class, build=build)


__all__ = [
    "SOURCES",
    "register_sources",
    "render_stocktake_report",
    "stocktake_report",
    "write_off_register",
]
