from core.exceptions import ActionRefused


class DocumentsRefused(ActionRefused):
    """A correspondence or controlled-document action the rules or the state
    of the data do not allow (R-SCOPE 3–4, R-CTRL-1..7). The message is
    meant for the user and is translated; nothing was changed."""
