"""The search the portal's record list and the benchmark use.

`search_records(user, text, filters)` returns a lazy `SearchHits` that
Django's Paginator can page through: the count and each page are answered by
the full-text index alone; the page's records are then read through
`visible_records` once more, so the index can never show a record the user
may not see, even if it lagged behind."""
from dataclasses import dataclass, field

from records.models import SecurityLevel
from records.search.backends import Order, current_backend
from records.search.tokens import All, Any, InTitle, Marker, Without, marker, query_terms
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


def hidden_expression(scope):
    """What `scope` may not see, as index markers (see
    records.selectors.visibility_scope for the rules it mirrors):
    a hidden level unless granted or one's own unfiled item; an unfiled item
    unless one's own, for those who do not file. None: nothing is hidden."""
    own_unfiled = All((Marker(marker("prefiling")), Marker(marker("sub", scope.user_id))))
    hidden = []
    if scope.levels is not None:
        levels = [Marker(marker("lv", level)) for level in SecurityLevel if level not in scope.levels]
        if levels:
            allowed_anyway = [Marker(marker("id", pk)) for pk in scope.granted_record_ids] + [own_unfiled]
            hidden.append(Without(Any(tuple(levels)), (Any(tuple(allowed_anyway)),)))
    if not scope.every_state:
        hidden.append(Without(Marker(marker("prefiling")), (Marker(marker("sub", scope.user_id)),)))
    return Any(tuple(hidden)) if hidden else None


@dataclass(frozen=True)
class Match:
    """The expressions of one search: every match, and for ranking the
    matches in the title and the others."""

    every: object
    in_title: object | None
    elsewhere: object | None


def build_match(scope, text, filters):
    """None when there is nothing to match on or the user sees nothing."""
    terms = query_terms(text)[:MAX_TERMS]
    facets = filters.markers()
    if scope is None or not (terms or facets):
        return None
    hidden = hidden_expression(scope)

    def visible(expression, *also_excluded):
        excluded = tuple(x for x in (*also_excluded, hidden) if x is not None)
        return Without(expression, excluded) if excluded else expression

    every = visible(All((*terms, *facets)))
    if not terms:
        return Match(every=every, in_title=None, elsewhere=None)
    title = InTitle(All(tuple(terms)))
    return Match(
        every=every,
        in_title=visible(All((title, *facets))),
        elsewhere=visible(All((*terms, *facets)), title),
    )


@dataclass
class SearchHits:
    """A lazy, pageable result: len()/count() and slices query the index."""

    user: object
    match: Match | None
    order: str = Order.RELEVANCE
    _count: int | None = field(default=None, repr=False)

    def count(self):
        if self._count is None:
            self._count = 0 if self.match is None else current_backend().count(self.match.every)
        return self._count

    def __len__(self):
        return self.count()

    def capped_count(self, limit):
        """The count, stopping at `limit` (records.paging.CappedPaginator)."""
        if self._count is not None:
            return min(self._count, limit)
        return 0 if self.match is None else current_backend().count(self.match.every, limit=limit)

    def __getitem__(self, key):
        if not isinstance(key, slice):
            raise TypeError("SearchHits supports slices only")
        if self.match is None:
            return []
        ids = self._ids(key.start or 0, key.stop)
        by_pk = visible_records(self.user).select_related("category", "location").in_bulk(ids)
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def _ids(self, start, stop):
        backend = current_backend()
        if self.order == Order.DATE:
            return backend.by_date_ids(self.match.every, limit=stop - start, offset=start)
        if self.order == Order.RELEVANCE and self.match.in_title is not None:
            # Both walks stop after `stop` rows, newest first.
            ids = backend.newest_ids(self.match.in_title, limit=stop)
            if len(ids) < stop:
                ids += backend.newest_ids(self.match.elsewhere, limit=stop - len(ids))
            return ids[start:stop]
        return backend.newest_ids(self.match.every, limit=stop - start, offset=start)


def search_records(user, text, filters=None, order=Order.RELEVANCE):
    scope = visibility_scope(user)
    return SearchHits(user=user, match=build_match(scope, text or "", filters or Filters()), order=order)


def has_criteria(text, filters):
    return bool(query_terms(text or "")) or bool(filters.markers())
