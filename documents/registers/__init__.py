"""The documents app's registers, each a records.printing.TableRegister
(PDF or Excel) and a source of records.register_jobs:

    correspondence.py  收文登记簿 / 发文登记表 (R-SCOPE 3–4)
    distribution.py    受控文件发放登记表: the distribution register (R-CTRL-1..5)
    valid.py           受控文件清单: the controlled documents in force
    purge.py           the certificate of disposed register lines (R-CTRL-7)"""
from records.register_jobs import register_source

# records.register_jobs source name -> (form, builder); each part adds its own.
SOURCES = {}


def register_sources():
    for name, (form_class, build) in SOURCES.items():
        register_source(name, form_class=form_class, build=build)
