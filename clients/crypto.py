"""Client personal data encrypted at rest (R-CLIENT).

`EncryptedTextField` keeps ciphertext in the database column (Fernet:
AES-128-CBC with an HMAC-SHA256 tag, a fresh IV per value) and gives clear
text to Python code. The key is settings.ARCHIVE_FIELD_KEY; a development
machine without one derives a fixed key from SECRET_KEY. simple-history copies
the field class into the historical model, so history rows hold the same
ciphertext, never the clear value.
"""
import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Every stored value starts with this, so a clear value is never mistaken for
# ciphertext and the column shows what it holds.
PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(key, secret_key):
    if not key:
        # Development and tests only: settings make the key mandatory in production.
        key = base64.urlsafe_b64encode(hashlib.sha256(f"field-key:{secret_key}".encode()).digest()).decode()
    try:
        return Fernet(key)
    except ValueError as exc:
        raise ImproperlyConfigured("ARCHIVE_FIELD_KEY must be 32 bytes in url-safe base64 (a Fernet key).") from exc


def fernet():
    return _fernet(getattr(settings, "ARCHIVE_FIELD_KEY", ""), settings.SECRET_KEY)


def encrypt(value):
    if value in (None, ""):
        return value
    return PREFIX + fernet().encrypt(str(value).encode()).decode()


def decrypt(value):
    if value in (None, "") or not value.startswith(PREFIX):
        return value
    try:
        return fernet().decrypt(value[len(PREFIX):].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("Client data cannot be decrypted: ARCHIVE_FIELD_KEY is not the key it was stored with.") from exc


class EncryptedTextField(models.TextField):
    """A text column whose database value is ciphertext. It cannot be
    searched or ordered by its clear value; the views never need to."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def to_python(self, value):
        return decrypt(super().to_python(value))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, str) and value.startswith(PREFIX):
            return value
        return encrypt(value)
