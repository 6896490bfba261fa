"""Fixtures of the object-storage tests (tests/storage_support.py)."""
import pytest

from tests.storage_support import new_bucket, start_server


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, once per test process (each xdist worker has its own)."""
    server = start_server()
    yield server
    server.server.stop()


@pytest.fixture
def s3_bucket(s3_server, settings, tmp_path):
    """A new private bucket, made the site's default storage as
    ARCHIVE_S3_BUCKET does. ARCHIVE_MEDIA_ROOT points at an empty directory
    that must stay empty: nothing may land on the local disk."""
    bucket = new_bucket(s3_server)
    bucket.local_root = tmp_path / "local-attachments"
    bucket.local_root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = bucket.local_root
    # Setting STORAGES resets Django's storage handler and default_storage,
    # which every FileField without its own storage uses.
    settings.STORAGES = {**settings.STORAGES, "default": bucket.storage_options()}
    return bucket
