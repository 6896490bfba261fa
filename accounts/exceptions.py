from core.exceptions import ActionRefused


class AccountRefused(ActionRefused):
    """A change of an account, a role or a department that the separation of
    duties or the state of the data does not allow; nothing was changed."""
