"""Checking and importing a legacy ledger through its kind's resource
(issue 15). Signatures first; bodies follow."""


def check_ledger(workbook, plan, user):
    raise NotImplementedError


def import_ledger(workbook, plan, user, progress=None):
    raise NotImplementedError


def ledger_upload_start(*, user, kind, file):
    raise NotImplementedError


def ledger_upload_workbook(upload):
    raise NotImplementedError


def ledger_upload_plan(upload):
    raise NotImplementedError


def ledger_template_save(*, user, kind, name, plan, workbook):
    raise NotImplementedError


def ledger_upload_confirm(*, upload, user):
    raise NotImplementedError


def ledger_upload_cancel(*, upload, user):
    raise NotImplementedError
