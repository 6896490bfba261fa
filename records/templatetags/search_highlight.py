import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from records.search.tokens import highlight_terms, normalise

register = template.Library()


@register.filter
def highlight(value, query):
    """Wrap what the query matched in <mark>, case- and width-insensitively;
    everything else is escaped."""
    text = "" if value is None else str(value)
    terms = highlight_terms(query or "")
    if not text or not terms:
        return escape(text)
    # NFKC can change lengths (full-width forms fold 1:1, but not all
    # characters do): match on the normalised text only where it aligns.
    folded = normalise(text)
    if len(folded) != len(text):
        folded = text.lower()
    pattern = re.compile("|".join(re.escape(term) for term in terms))
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))
