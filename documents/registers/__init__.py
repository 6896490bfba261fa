"""The documents app's registers, each a records.printing.TableRegister
(PDF or Excel) and a source of records.register_jobs:

    correspondence.py  收文登记簿 / 发文登记表 (R-SCOPE 3–4)
    distribution.py    受控文件发放登记表: the distribution register (R-CTRL-1..5)
    valid.py           受控文件清单: the controlled documents in force
    purge.py           the certificate of disposed register lines (R-CTRL-7)"""
from documents.forms_correspondence import CorrespondenceRegisterForm
from documents.registers.correspondence import correspondence_register_from_form
from documents.registers.distribution import distribution_register_from_form
from documents.registers.forms import DistributionRegisterForm, PurgeCertificateForm, ValidRegisterForm
from documents.registers.purge import purge_certificate_from_form
from documents.registers.valid import valid_register_from_form
from records.register_jobs import register_source

# records.register_jobs source name -> (form, builder); each part adds its own.
SOURCES = {
    # REGISTERS
    "documents_distribution": (DistributionRegisterForm, distribution_register_from_form),
    "documents_valid": (ValidRegisterForm, valid_register_from_form),
    "documents_purge_certificate": (PurgeCertificateForm, purge_certificate_from_form),
    # CORR
    "documents_correspondence": (CorrespondenceRegisterForm, correspondence_register_from_form),
}


def register_sources():
    for name, (form_class, build) in SOURCES.items():
        register_source(name, form_class=form_class, build=build)
