from disposal.models.destruction import Destruction, DestructionMethod, Witness
from disposal.models.items import ItemAction, ListItem
from disposal.models.lists import (
    DisposalDeletionRefused,
    DisposalList,
    ListCounter,
    ListKind,
    ListState,
)

__all__ = [
    "Destruction",
    "DestructionMethod",
    "DisposalDeletionRefused",
    "DisposalList",
    "ItemAction",
    "ListCounter",
    "ListItem",
    "ListKind",
    "ListState",
    "Witness",
]
