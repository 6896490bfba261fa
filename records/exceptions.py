"""The one refusal of the records services (core.exceptions.ActionRefused):
a state change that the record's state or the rules do not allow."""
from core.exceptions import ActionRefused


class RecordActionRefused(ActionRefused):
    """A state change that the record's state or the rules do not allow. The
    message is meant for the user and is translated; nothing was changed."""
