from core.exceptions import ActionRefused


class ClientRefused(ActionRefused):
    """A change to a client file the rules do not allow (R-CLIENT, R-LEND-4):
    the message is meant for the user and is translated; `field` names the
    form field it answers, if any; nothing was changed."""
