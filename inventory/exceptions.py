from core.exceptions import ActionRefused


class InventoryRefused(ActionRefused):
    """A stocktake, write-off or repair action the rules or the state of the
    data do not allow (R-INV-1..3). The message is meant for the user and
    is translated; nothing was changed."""


class UnresolvedDifferences(InventoryRefused):
    """Closing refused: `differences` lists what is still unresolved."""

    def __init__(self, message="", *, differences=None, field=None):
        super().__init__(message, field=field)
        self.differences = differences or []
