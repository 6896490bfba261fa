from core.exceptions import ActionRefused


class LendingRefused(ActionRefused):
    """A lending action the rules or the state of the request, loan or record
    do not allow (R-LEND-1..6, R-ACCESS). The message is meant for the user
    and is translated; nothing was changed."""
