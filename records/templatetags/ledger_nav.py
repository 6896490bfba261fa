"""Whether the navigation offers the ledger import wizard (issue 15): to
whoever may import at least one kind of ledger (records.ledgers.kinds)."""
from django import template

from records.ledgers.kinds import ledger_kinds_for

register = template.Library()


@register.simple_tag
def may_import_ledgers(user):
    return bool(user.is_authenticated and ledger_kinds_for(user))
