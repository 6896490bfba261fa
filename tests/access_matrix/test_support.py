"""The write matrix's change detection (support.changes_during): a write is
seen, named and done once; a read changes nothing."""
import pytest

from accounts.models import Notice
from accounts.notices import notify
from accounts.roles import Role
from tests.access_matrix.support import changes_during
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_write_is_seen_named_and_done_once():
    user = make_user(Role.STAFF, "matrix_probe")
    _result, changed = changes_during(lambda: notify(user, "矩阵探测"))
    assert "accounts.Notice rows" in changed
    assert Notice.objects.filter(user=user, text="矩阵探测").count() == 1


def test_an_update_in_place_is_seen():
    user = make_user(Role.STAFF, "matrix_probe")
    notify(user, "矩阵探测")
    _result, changed = changes_during(lambda: Notice.objects.filter(user=user).update(text="矩阵已改"))
    assert changed, "an update of a model without history must be seen"


def test_reading_changes_nothing():
    user = make_user(Role.STAFF, "matrix_probe")
    notify(user, "矩阵探测")
    result, changed = changes_during(lambda: list(Notice.objects.filter(user=user)))
    assert changed == []
    assert [notice.text for notice in result] == ["矩阵探测"]
