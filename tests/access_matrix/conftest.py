"""Fixtures of the access matrix: its world, with attachments stored in a
temporary folder."""
import pytest

from tests.access_matrix.world import build_world


@pytest.fixture
def private_storage(settings, tmp_path):
    """Attachments are stored in a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def world(role_users, filed_record, private_storage):
    return build_world(role_users, filed_record)
