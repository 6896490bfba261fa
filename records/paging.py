"""Pages of long lists whose exact size is not worth its cost.

Counting every match of a frequent term takes PostgreSQL a pass over all of
them (GIN has no cheap count): 0.3–1.5 s for 200,000 matches among a million
records. Nobody pages past the first few hundred results, so the list counts
up to ARCHIVE_LIST_COUNT_CAP results and says "more than …" beyond."""
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def capped_count(object_list, limit):
    """How many of `object_list` there are, counting no further than `limit`."""
    if hasattr(object_list, "capped_count"):
        return object_list.capped_count(limit)
    if isinstance(object_list, QuerySet):
        return object_list[:limit].count()
    return min(len(object_list), limit)


class CappedPaginator(Paginator):
    """A Paginator whose count stops at `cap`; `is_capped` says whether
    there are more results than that (the last page is then page cap/per_page)."""

    def __init__(self, object_list, per_page, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else settings.ARCHIVE_LIST_COUNT_CAP

    @cached_property
    def _counted(self):
        # One more than the cap tells "exactly cap" from "more than cap".
        return capped_count(self.object_list, self.cap + 1)

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @cached_property
    def is_capped(self):
        return self._counted > self.cap
