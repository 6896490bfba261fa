"""The ledgers the import wizard can read (issue 15): each app registers
its kind in its AppConfig.ready()."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LedgerKind:
    code: str
    label: str
    resource_class: type
    synonyms: dict = field(default_factory=dict)  # {field name: (header text, …)}
    fills: tuple = ()  # FILL_* names from records.ledgers.types
    may_import: object = None  # callable(user) -> bool
    make_resource: object = None  # callable(user) -> resource


_KINDS = {}


def register_ledger_kind(kind):
    _KINDS[kind.code] = kind
    return kind


def ledger_kind(code):
    """The registered kind `code`; KeyError when there is none."""
    return _KINDS[code]


def ledger_kinds_for(user):
    """The kinds `user` may import, in registration order."""
    return [kind for kind in _KINDS.values() if kind.may_import(user)]
