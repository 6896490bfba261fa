from core.exceptions import ActionRefused


class DisposalRefused(ActionRefused):
    """A disposal action the rules or the state of the list, its items or
    their records do not allow (R-DISP-1..3). The message is meant for the
    user and is translated; nothing was changed."""


class ItemsRefused(DisposalRefused):
    """A step refused because of some records: `problems` maps each record
    id to its reasons (all of them, where the message names at most a few
    hundred), so a screen can show them in a table and offer to strike
    them off."""

    def __init__(self, message="", *, problems=None, field=None):
        super().__init__(message, field=field)
        self.problems = problems or {}
