"""Seeding the demo data inside tests: fast password hashing and the demo's
electronic files in a temporary storage, never in var/."""
import contextlib

from django.conf import settings
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextlib.contextmanager
def demo_settings(tmp_path_factory):
    """The settings under which a module-scoped fixture seeds the demo."""
    storages = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path_factory.mktemp("attachments"), "base_url": None},
    }}
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS, STORAGES=storages):
        yield
