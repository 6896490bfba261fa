"""Fixtures of the access matrix: its world, with attachments stored in a
temporary folder."""
import pytest

from tests.access_matrix.world import build_world


@pytest.fixture
def world(role_users, filed_record, private_storage):
    return build_world(role_users, filed_record)
