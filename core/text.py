"""Lists inside translated sentences. Chinese separates items with 、 and
clauses with ；, English with ", " and "; "; joining with ASCII separators
in Python would put English punctuation into Chinese text."""
from django.utils.translation import pgettext


def join_items(items):
    """Names, numbers, fields: 甲、乙、丙 / A, B, C."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def join_clauses(items):
    """Reasons or entries that are phrases of their own: 甲；乙 / A; B."""
    return pgettext("clause separator", "; ").join(str(item) for item in items)
