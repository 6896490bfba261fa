"""What a search matched, marked in the results (R-FILE-4): only what the
index's rules match (records.search.excerpts), everything escaped first."""
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from records.search.excerpts import find_matches, marked_pieces

register = template.Library()


def _marked_html(pieces):
    return mark_safe(
        "".join(f"<mark>{escape(piece)}</mark>" if matched else escape(piece) for piece, matched in pieces)
    )


@register.filter
def highlight(value, query):
    """`value` with what the query matched wrapped in <mark> (width- and
    case-insensitively, words from their start, a part with punctuation as a
    whole); everything else is escaped."""
    text = "" if value is None else str(value)
    if not text or not query:
        return escape(text)
    return _marked_html(marked_pieces(text, find_matches(text, query)))


@register.filter
def excerpt_html(excerpt):
    """A records.search.excerpts.Excerpt as HTML: its text escaped, the
    matches in <mark>, an ellipsis where it was cut."""
    if excerpt is None:
        return ""
    html = _marked_html(excerpt.pieces)
    return mark_safe(f"{'…' if excerpt.cut_before else ''}{html}{'…' if excerpt.cut_after else ''}")
