"""Links between the pages of a list (templates/records/_pagination.html)."""
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """The current query string with `param` set to `number` (?q=合同&page=3):
    the filters stay, and a page showing two lists pages each by its own
    parameter."""
    query = context["request"].GET.copy()
    query[param or "page"] = number
    return f"?{query.urlencode()}"
