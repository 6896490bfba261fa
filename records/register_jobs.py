"""Registers are printed in the request when they are short and by a
background job (jobs/) when they are long: a year-end catalogue of 500 pages
takes WeasyPrint over a minute however it is built, longer than a web
request may wait.

Each register is a *source*: the form that selects it and a function that
builds it from the valid form for a reader. Apps add theirs in
AppConfig.ready() with `register_source`; the view calls `deliver`, and the
job builds the same register from the same query in the worker, for the
same reader, so it lists exactly what the view would have (R-LEND-4:
visible_records of the person who asked)."""
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.middleware import TOKEN_FIELD as DOWNLOAD_TOKEN_FIELD
from core.text import join_clauses
from core.views import refusal_to_form
from jobs.models import ProgressUnit
from jobs.registry import register_job_kind
from jobs.services import job_start
from records.printing import FORMATS, RegisterTooLarge

PDF_JOB = "records.register_pdf"
XLSX_JOB = "records.register_xlsx"


@dataclass(frozen=True)
class RegisterSource:
    form_class: type
    build: Callable  # (reader, valid form) -> records.printing.TableRegister


_sources: dict[str, RegisterSource] = {}


def register_source(name, *, form_class, build):
    _sources[name] = RegisterSource(form_class, build)


def register_from_query(name, reader, query):
    """(form, register): the register is None when the form is not valid."""
    source = _sources[name]
    form = source.form_class(query)
    if not form.is_valid():
        return form, None
    return form, source.build(reader, form)


def _direct_limit(fmt):
    return settings.ARCHIVE_REGISTER_DIRECT_ROWS[fmt]


def deliver(request, *, name, register, fmt):
    """The register as a download when it is short; otherwise a job is
    started and the reader is taken to its progress page. Raises
    RegisterTooLarge when even a job may not print it."""
    if register.row_count is None or register.row_count <= _direct_limit(fmt):
        return register.response(fmt)
    register.check_printable(fmt, max_rows=settings.ARCHIVE_REGISTER_MAX_PDF_ROWS)
    title = join_clauses([str(register.title), str(register.subtitle), fmt.upper()])
    # The page's download token (core.middleware) is no part of the register.
    query = {key: request.GET.getlist(key) for key in request.GET if key != DOWNLOAD_TOKEN_FIELD}
    job = job_start(
        kind=PDF_JOB if fmt == "pdf" else XLSX_JOB, owner=request.user, title=title,
        params={"register": name, "query": query},
    )
    messages.info(
        request,
        _("%(count)d rows: the register is being made in the background. You may leave this page; "
          "“My jobs” keeps the file when it is ready.") % {"count": register.row_count},
    )
    return redirect("job_detail", job.pk)


def register_page(request, name, *, template, context=None, initial=None):
    """A register's page: its selection form (on the first visit, or again
    with the errors when the input is not valid), or, when a format was
    chosen, the register as a download or a job (`deliver`)."""
    context = context or {}
    if "format" not in request.GET:
        form = _sources[name].form_class(initial=initial)
        return render(request, template, {**context, "form": form})
    form, register = register_from_query(name, request.user, request.GET)
    if register is not None:
        try:
            return deliver(request, name=name, register=register, fmt=form.cleaned_data["format"])
        except RegisterTooLarge as refusal:
            refusal_to_form(form, refusal)
    return render(request, template, {**context, "form": form})


def _query(params):
    query = QueryDict(mutable=True)
    for key, values in params["query"].items():
        query.setlist(key, values)
    return query


def _build_for_job(run):
    form, register = register_from_query(run.params["register"], run.owner, _query(run.params))
    if register is None:
        problems = [str(error) for errors in form.errors.values() for error in errors]
        raise RegisterTooLarge(
            _("The register's selection is no longer valid: %(problems)s") % {"problems": join_clauses(problems)}
        )
    return register


def _make(run, fmt):
    register = _build_for_job(run)
    content_type, extension = FORMATS[fmt]
    output = run.output(f"{register.filename}.{extension}", content_type)
    if fmt == "pdf":
        register.write_pdf(output, progress=run.progress, max_rows=settings.ARCHIVE_REGISTER_MAX_PDF_ROWS)
    else:
        register.write_xlsx(output, progress=run.progress)
    register.log_printed(fmt)


def make_pdf(run):
    _make(run, "pdf")


def make_xlsx(run):
    _make(run, "xlsx")


def register_job_kinds():
    register_job_kind(PDF_JOB, make_pdf, unit=ProgressUnit.PAGES)
    register_job_kind(XLSX_JOB, make_xlsx, unit=ProgressUnit.ROWS)
