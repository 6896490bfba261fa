"""The one base of every refusal a service raises.

A service refuses by raising a subclass of ActionRefused with a translated
message the user reads, and changes nothing (its transaction rolls back).
Views turn it into a form error or a message in one place (core.views);
`field` names the form field the message belongs to, if any."""


class ActionRefused(Exception):
    """A state change the rules or the state of the data do not allow; the
    message is meant for the user and is translated; nothing was changed."""

    def __init__(self, message="", *, field=None):
        super().__init__(message)
        self.field = field

    @property
    def message(self):
        return str(self.args[0]) if self.args else ""
