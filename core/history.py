"""Who wrote a history row and why.

Every service writes through `save_with_history(obj, by=…, reason=…)`;
commands, demo seeding and code that saves through a library (imports) use
`acting_as(user)`. Reasons are stored as short codes and shown in the
reader's language: each app declares its reasons as TextChoices and adds
them with `register_reasons` in its AppConfig.ready(); `reason_label` finds
the words whichever app wrote the row. A reason that is not a registered
code (an archivist's own words for a correction) is shown as written."""
import contextlib
from types import SimpleNamespace

from simple_history.models import HistoricalRecords

_REASON_LABELS = {}


def register_reasons(choices):
    """Add an app's change reasons (a TextChoices class); a code is
    registered once, by one app."""
    for code, label in choices.choices:
        if _REASON_LABELS.setdefault(code, label) is not label:
            raise ValueError(f"Change reason {code!r} is registered by two apps.")
    return choices


def reason_label(reason):
    """The words for a stored reason, in the active language."""
    return _REASON_LABELS.get(reason, reason)


def save_with_history(obj, *, by=None, reason=None, **save_kwargs):
    """Save `obj` so that its history row names `by` and `reason`.

    The web request's user is taken by simple-history's middleware anyway;
    naming `by` covers services called from commands, imports and tests.
    `None` leaves the attribution or reason as it is."""
    if reason is not None:
        obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.save(**save_kwargs)
    return obj


@contextlib.contextmanager
def acting_as(user):
    """Attribute the history rows written inside the block to `user`, as
    simple-history's middleware does for a web request. Services re-read the
    rows they change, so an `_history_user` set on our instance would be
    lost. `None` leaves the attribution as it is."""
    if user is None:
        yield
        return
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
