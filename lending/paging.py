"""Pages of lending's lists (issue 11): 20 rows a page, newest first where
time orders the list. A page showing one list pages it with `page` and
records/_pagination.html, like every list of the archive; a page showing
several (the desk, 我的借阅, the approvals inbox) pages each on its own
parameter, keeping the others' in its links (lending/_pagination.html, the
same words and look)."""
from django.core.paginator import Paginator

PER_PAGE = 20


def paginate(request, items, *, param="page", anchor="", per_page=PER_PAGE):
    """The page of `items` the address asks for with `param` (the first when
    missing or wrong, the last when past the end). `page.urls` holds the
    links to the first, previous, next and last pages, ending in `#anchor`
    (the list's section) when given."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    page.urls = {
        "first": _url(request, param, 1, anchor),
        "previous": _url(request, param, page.number - 1, anchor),
        "next": _url(request, param, page.number + 1, anchor),
        "last": _url(request, param, page.paginator.num_pages, anchor),
    }
    return page


def _url(request, param, number, anchor):
    query = request.GET.copy()
    query[param] = number
    return f"?{query.urlencode()}" + (f"#{anchor}" if anchor else "")
