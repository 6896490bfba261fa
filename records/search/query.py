"""The search the portal's record list and the benchmark use.

`search_records(user, text, filters)` returns a lazy `SearchHits` that
Django's Paginator can page through: the count and each page are answered by
the full-text index alone, the page's records are then read through
`visible_records` once more, so the index can never show a record the user
may not see, even if it lagged behind."""
from dataclasses import dataclass, field

from records.models import SecurityLevel
from records.search.backends import Order, current_backend
from records.search.tokens import All, Any, Marker, Without, marker, query_terms
from records.selectors import visibility_scope, visible_records

MAX_TERMS = 8


@dataclass
class Filters:
    """Facets a search may be narrowed by; each becomes an index marker."""

    category_code: str | None = None
    year: int | None = None
    security_level: str | None = None
    status: str | None = None
    location_id: int | None = None
    retention: str | None = None  # "y" for permanent, or a number of years

    def markers(self):
        pairs = [
            ("cat", self.category_code),
            ("yr", self.year),
            ("lv", self.security_level),
            ("st", self.status),
            ("loc", self.location_id),
            ("ret", self.retention),
        ]
        return [Marker(marker(tag, value)) for tag, value in pairs if value not in (None, "")]


def match_expression(scope, text, filters):
    """Text terms and facet filters, limited to what `scope` may see; None
    when there is nothing to match on."""
    parts = [*query_terms(text)[:MAX_TERMS], *filters.markers()]
    if not parts or scope is None:
        return None
    base = All(tuple(parts))
    if scope.sees_everything:
        return base

    hidden_levels = [] if scope.levels is None else [lv for lv in SecurityLevel if lv not in scope.levels]
    excluded = [Marker(marker("lv", level)) for level in hidden_levels]
    if not scope.every_state:
        excluded.append(Marker(marker("prefiling")))
    branches = [Without(base, tuple(excluded)) if excluded else base]
    if scope.granted_record_ids:
        granted = All((base, Any(tuple(Marker(marker("id", pk)) for pk in scope.granted_record_ids))))
        branches.append(granted if scope.every_state else Without(granted, (Marker(marker("prefiling")),)))
    # Submitters follow their own unfiled items (R-FILE-2).
    branches.append(All((base, Marker(marker("prefiling")), Marker(marker("sub", scope.user_id)))))
    return Any(tuple(branches))


@dataclass
class SearchHits:
    """A lazy, pageable result: len()/count() and slices query the index."""

    user: object
    expression: object
    order: str = Order.RELEVANCE
    _count: int | None = field(default=None, repr=False)

    def count(self):
        if self._count is None:
            self._count = 0 if self.expression is None else current_backend().count(self.expression)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("SearchHits supports slices only")
        if self.expression is None:
            return []
        start, stop = key.start or 0, key.stop
        ids = current_backend().ids(self.expression, order=self.order, limit=stop - start, offset=start)
        by_pk = visible_records(self.user).select_related("category", "location").in_bulk(ids)
        return [by_pk[pk] for pk in ids if pk in by_pk]


def search_records(user, text, filters=None, order=Order.RELEVANCE):
    scope = visibility_scope(user)
    return SearchHits(user=user, expression=match_expression(scope, text, filters or Filters()), order=order)


def has_criteria(text, filters):
    return bool(query_terms(text or "")) or bool(filters.markers())

