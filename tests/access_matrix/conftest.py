"""Fixtures of the access matrix: its world, with attachments and the
ledger wizard's kept workbooks stored in a temporary folder."""
import pytest

from tests.access_matrix.world import build_world


@pytest.fixture
def world(role_users, filed_record, private_storage, settings):
    settings.IMPORT_TMP_DIR = private_storage / "import_tmp"
    return build_world(role_users, filed_record)
