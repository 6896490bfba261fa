"""Who wrote a history row when no web request says so (commands, demo
seeding, services called from tests)."""
import contextlib
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


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
