"""The client-data key is checked when the server starts (issue 10, point
3): an ARCHIVE_FIELD_KEY that is not a Fernet key stops `manage.py check`
(run by runserver and migrate) and `check --deploy` with clients.E001,
without printing the key."""
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from clients.checks import check_field_key

# A fixed key: parameter ids must be the same in every process (pytest-xdist).
GOOD_KEY = "bJlhRTmWRFc_LiJS3RcAsu5mb_D12-QjP-aXoATATfc="
BAD_KEYS = [
    "not-a-key",
    "c2hvcnQ=",  # valid base64, 5 bytes
    GOOD_KEY[:-2] + "==",  # 31 bytes
    GOOD_KEY.replace("=", ""),  # padding missing
    "!" + GOOD_KEY[1:],  # a character base64 would silently skip
    " " + GOOD_KEY,
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_an_invalid_key_is_an_error_with_its_id(settings, key):
    settings.ARCHIVE_FIELD_KEY = key
    errors = check_field_key()
    assert [error.id for error in errors] == ["clients.E001"]
    assert "ARCHIVE_FIELD_KEY is not a valid key" in errors[0].msg
    assert key.strip() not in errors[0].msg and key.strip() not in (errors[0].hint or "")


@pytest.mark.parametrize("deploy", [False, True])
def test_check_command_refuses_an_invalid_key(settings, deploy):
    settings.ARCHIVE_FIELD_KEY = "not-a-key"
    options = {"deploy": True} if deploy else {}
    with pytest.raises(SystemCheckError, match=r"clients\.E001"):
        call_command("check", **options)


@pytest.mark.parametrize("key", [GOOD_KEY, ""])
def test_a_fernet_key_or_none_in_development_passes(settings, key):
    settings.ARCHIVE_FIELD_KEY = key
    assert check_field_key() == []
    call_command("check", tags=["security"])
