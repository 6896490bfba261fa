"""Pages of long lists whose exact size is not worth its cost.

Counting every match of a frequent term takes PostgreSQL a pass over all of
them (GIN has no cheap count): 0.3–1.5 s for 200,000 matches among a million
records. Nobody pages past the first few hundred results, so the list counts
up to ARCHIVE_LIST_COUNT_CAP results and says "more than …" beyond."""
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


#: Rows on a page of every operational list.
PER_PAGE = 20


def capped_count(object_list, limit):
    """How many of `object_list` there are, counting no further than `limit`."""
    if hasattr(object_list, "capped_count"):
        return object_list.capped_count(limit)
    if isinstance(object_list, QuerySet):
        # Which rows are counted does not matter, only how many: no ORDER
        # BY, which would sort every match before the LIMIT.
        return object_list.order_by()[:limit].count()
    return min(len(object_list), limit)


def capped_counts(querysets, limit):
    """{key: how many of querysets[key] there are, counting no further than
    `limit`}, in one statement whatever the number of querysets: each is
    counted as `SELECT COUNT(*) FROM (… LIMIT limit)`, joined by UNION ALL,
    so every count stops after `limit` rows, read from an index when the
    filters allow. The querysets must share one database."""
    counts = {key: 0 for key, queryset in querysets.items() if queryset.query.is_empty()}
    keys = [key for key in querysets if key not in counts]
    if not keys:
        return counts
    parts, params = [], []
    for position, key in enumerate(keys):
        sql, part_params = querysets[key].order_by().values("pk")[:limit].query.sql_with_params()
        # The arm's position, not its key, names it: no user text in the SQL.
        parts.append(f"SELECT {position}, COUNT(*) FROM ({sql}) capped_{position}")
        params.extend(part_params)
    using = querysets[keys[0]].db
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        counts.update((keys[position], count) for position, count in cursor.fetchall())
    return counts


# Stands for each value of capped_counts_by in the statement compiled once:
# no text a field holds begins with a NUL character.
_VALUE_SLOT = "\x00capped_counts_by\x00"


def capped_counts_by(queryset, field, values, limit):
    """{value: how many of `queryset` have `field` (a text field) equal to
    it, counting no further than `limit`}, as capped_counts counts them,
    with the statement compiled once for all the values: compiling the
    visibility rules once per status took the home page ~4 ms, as long as
    running the statement (issue 11)."""
    values = list(values)
    if not values:
        return {}
    if queryset.query.is_empty():
        return {value: 0 for value in values}
    sql, params = queryset.filter(**{field: _VALUE_SLOT}).order_by().values("pk")[:limit].query.sql_with_params()
    # Where the value goes (ValueError for a field that does not pass text through).
    slot = list(params).index(_VALUE_SLOT)
    parts, all_params = [], []
    for position, value in enumerate(values):
        parts.append(f"SELECT {position}, COUNT(*) FROM ({sql}) capped_{position}")
        all_params.extend(value if index == slot else param for index, param in enumerate(params))
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), all_params)
        return {values[position]: count for position, count in cursor.fetchall()}


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


def page_of(request, object_list, per_page=PER_PAGE, *, page_param="page"):
    """The page of `object_list` the request asks for (`?page=`, or
    `page_param` where a page shows two lists; the first or the last page
    when out of range), counted no further than the cap."""
    return CappedPaginator(object_list, per_page).get_page(request.GET.get(page_param))
