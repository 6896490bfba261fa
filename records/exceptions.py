class RecordActionRefused(Exception):
    """A state change that the record's state or the rules do not allow. The
    message is meant for the user and is translated."""
