from core.exceptions import ActionRefused


class ContractRefused(ActionRefused):
    """A contract cannot be entered in the ledger (R-CONTRACT). The message
    is meant for the user and is translated; nothing was changed."""
