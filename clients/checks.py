"""Start-up checks of the client files (R-CLIENT).

The personal data of contacts is encrypted with settings.ARCHIVE_FIELD_KEY
(clients.crypto). A key that is not a Fernet key would fail only when the
first contact is saved or shown; this check refuses it when the server
starts, and under `manage.py check --deploy`, without printing the key."""
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks

# 32 bytes in url-safe base64: 43 characters and one "=" of padding.
FERNET_KEY_FORMAT = re.compile(r"[A-Za-z0-9_-]{43}=")


def is_fernet_key(key):
    if not isinstance(key, str) or not FERNET_KEY_FORMAT.fullmatch(key):
        return False
    try:
        Fernet(key)
    except (TypeError, ValueError):
        return False
    return True


def check_field_key(app_configs=None, **kwargs):
    """clients.E001: ARCHIVE_FIELD_KEY, when set, must be a Fernet key. An
    empty key is allowed outside production (settings require one there):
    development derives a fixed key from SECRET_KEY."""
    key = getattr(settings, "ARCHIVE_FIELD_KEY", "")
    if not key or is_fernet_key(key):
        return []
    return [
        checks.Error(
            "ARCHIVE_FIELD_KEY is not a valid key for the client data: it must be 32 random bytes "
            "in url-safe base64 (44 characters ending in '='), such as scripts/setup.sh writes to "
            "var/field_key.",
            hint=(
                "Restore the key the client data was stored with, or for a new installation make one with "
                "`python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`."
            ),
            id="clients.E001",
        )
    ]
