"""What each kind of job does. An app registers its kinds in its
AppConfig.ready():

    register_job_kind("records.catalogue", build_catalogue)

The handler is called in the worker as `handler(run)` with a
jobs.runner.JobRun: its params, its owner, `run.progress(done, total)`,
`run.output(filename, content_type)` for a file to download and
`run.summary` for a sentence to show. A refusal (core.exceptions
.ActionRefused) ends the job with its message; anything else ends it with a
general message and the traceback in the log."""
from dataclasses import dataclass
from typing import Callable

from jobs.models import ProgressUnit


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Callable
    unit: str = ProgressUnit.ITEMS


_kinds: dict[str, JobKind] = {}


def register_job_kind(name, handler, *, unit=ProgressUnit.ITEMS):
    existing = _kinds.get(name)
    if existing is not None and existing.handler is not handler:
        raise ValueError(f"Job kind {name!r} is registered twice")
    _kinds[name] = JobKind(name, handler, unit)


def job_kind(name) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No job kind {name!r} is registered") from None
