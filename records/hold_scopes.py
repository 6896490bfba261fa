"""What a hold can be placed on besides one record or a class and year: the
records of a client, of a contract (issue 12: a dispute freezes everything
filed about it).

Records imports neither clients nor contracts (style.md); each of them
registers its scope in its AppConfig.ready(), and the holds screens (the
disposal app) list what is registered:

    register_hold_scope("client", label=_("Client"), choices=client_choices, records_of=client_records)

- `choices(user)` gives the (value, label) pairs `user` may pick: the
  clients or contracts they may see, in the order to show them. Values are
  text (a form posts them back as text); a value not among a user's
  choices is not theirs to pick.
- `records_of(value)` gives a Record queryset: every record filed about
  that client or contract, whatever its state and whoever may see it. The
  screens narrow it to what the user may see and what is left to freeze.

An app that knows more records of another app's scope adds them with
`add_hold_scope_records(name, records_of)` (contracts add the contracts
whose counterparty is the client): the scope's records are the union."""
from dataclasses import dataclass
from typing import Callable

from django.db.models import Q

from records.models import Record


@dataclass(frozen=True)
class HoldScope:
    name: str
    label: str
    choices: Callable
    records_of: Callable
    order: int = 100

    def records(self, value):
        """Every record of `value` in this scope, the other apps' included,
        each once."""
        sources = [self.records_of, *_extra_records.get(self.name, {}).values()]
        condition = Q()
        for records_of in sources:
            condition |= Q(pk__in=records_of(value).values("pk"))
        return Record.objects.filter(condition)

    def choice_label(self, user, value):
        """The label of `value` among `user`'s choices, or None when it is
        not one of them."""
        return dict((str(key), label) for key, label in self.choices(user)).get(str(value))


_scopes = {}
_extra_records = {}


def register_hold_scope(name, *, label, choices, records_of, order=100):
    """Add (or replace: ready() may run more than once) the scope `name`.
    Lower `order` is listed first."""
    _scopes[name] = HoldScope(name, label, choices, records_of, order)


def add_hold_scope_records(name, records_of):
    """Add `records_of(value)` to the records of the scope `name`, which
    another app registers (or will: the order of ready() does not matter)."""
    _extra_records.setdefault(name, {})[f"{records_of.__module__}.{records_of.__qualname__}"] = records_of


def unregister_hold_scope(name):
    _scopes.pop(name, None)


def hold_scopes():
    """The registered scopes, in order."""
    return sorted(_scopes.values(), key=lambda scope: (scope.order, scope.name))


def hold_scope(name):
    """The scope registered as `name`, or None."""
    return _scopes.get(name)
