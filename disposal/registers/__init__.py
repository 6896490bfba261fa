"""The disposal app's registers (R-DISP-1..3), each a
records.printing.TableRegister: a PDF with the header on every page,
"第 x 页 共 y 页", totals and signature lines, or an Excel workbook.

    report.py       档案鉴定销毁报告: the year-end report to leadership (R-DISP-2)
    certificate.py  档案销毁清册 / 销毁证明 of an executed list (R-DISP-3)
    weeding.py      剔除清册 (R-DISP-1)
    destroyed.py    销毁登记簿: every record ever destroyed (R-DISP-3)
    holds.py        冻结登记簿: holds in force, or all
    forms.py        what each register selects
    common.py       who may print them; shared columns and wording

Rows are read through records' visibility rule, so a register never names
a record its reader may not see (R-LEND-4), and each confidential record
a printed register lists leaves an access-log row (R-ACCESS). Each
register is a source of records.register_jobs (`register_sources`, called
in DisposalConfig.ready()): printed at once when short, by a background
job when long, for the same reader, who must still be allowed to print it
when the job runs."""
from disposal.registers.certificate import certificate_from_form, destruction_certificate
from disposal.registers.destroyed import destroyed_from_form, destruction_register
from disposal.registers.forms import (
    CertificateForm,
    DestructionRegisterForm,
    HoldsRegisterForm,
    ReportForm,
    WeedingListForm,
)
from disposal.registers.holds import holds_from_form, holds_register
from disposal.registers.report import appraisal_report, report_from_form
from disposal.registers.weeding import weeding_from_form, weeding_list
from records.register_jobs import register_source

# records.register_jobs source name -> (form, builder).
SOURCES = {
    "disposal_report": (ReportForm, report_from_form),
    "disposal_weeding": (WeedingListForm, weeding_from_form),
    "disposal_certificate": (CertificateForm, certificate_from_form),
    "disposal_destroyed": (DestructionRegisterForm, destroyed_from_form),
    "disposal_holds": (HoldsRegisterForm, holds_from_form),
}


def register_sources():
    for name, (form_class, build) in SOURCES.items():
        register_source(name, form_class=form_class, build=build)


__all__ = [
    "SOURCES",
    "appraisal_report",
    "destruction_certificate",
    "destruction_register",
    "holds_register",
    "register_sources",
    "weeding_list",
]
