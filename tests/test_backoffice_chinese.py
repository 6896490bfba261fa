"""The back office reads in Chinese (issue 16, point 3): history pages with
states, field names and reasons in words and local times, export files
named in Chinese, Django's own admin and widget texts (the JavaScript
catalogue too), roles by their names, no source file in a help text, demo
history in words."""
import datetime
import html as html_module
import re
import urllib.parse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.demo import DEMO_CHANGE_REASON
from accounts.roles import Role
from contracts.models import Contract
from core.history import reason_label, save_with_history
from lending.demo import DATES_MOVED, LEGACY_CHECK_IN
from records.models import Policy, Record, RecordStatus
from tests.admin_support import admin_url

VENDOR = settings.BASE_DIR / "locale" / "vendor" / "zh_Hans" / "LC_MESSAGES"
# What the issue saw in the back office: English headers and words, raw values.
ENGLISH_SEEN = ["CHANGES", "Changes", "None", "Model name", "Add link", "Change or view list link"]
STATE_CODES = ["draft", "submitted", "filed", "received_as_counted"]
MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d{3,6}")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues(django_db_blocker):
    """The project's and the vendor catalogues compiled (test.sh does this
    for a full run), and the loaded ones dropped."""
    from django.test.signals import setting_changed

    stale = [
        po for po in [*VENDOR.glob("*.po"), settings.BASE_DIR / "locale/zh_Hans/LC_MESSAGES/django.po"]
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=["zh_Hans"], ignore_patterns=[".venv", "staticfiles", "var"], verbosity=0)
    setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=True)


def page_text(response):
    assert response.status_code == 200
    html = response.content.decode()
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def history_cell_text(response):
    """The history table alone (the menu around it is not under test here)."""
    html = response.content.decode()
    table = re.search(r'(?s)<table id="change-history".*?</table>', html).group(0)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", table)))


def test_record_history_shows_states_reasons_and_local_times_in_words(client, archivist, filed_record):
    record = filed_record(title="关于展会的通知")
    client.force_login(archivist)

    table = history_cell_text(client.get(admin_url(Record, "history", record.pk)))

    for word in ENGLISH_SEEN + STATE_CODES:
        assert not re.search(rf"\b{re.escape(word)}\b", table), word
    assert not MICROSECONDS.search(table)
    assert "+00:00" not in table
    with translation.override("zh-hans"):
        assert f"{Record._meta.get_field('status').verbose_name}:" in table
        assert f"{RecordStatus.SUBMITTED.label} → {RecordStatus.FILED.label}" in table
        assert str(reason_label("filed")) in table  # the service's reason, in words
    filed_at = timezone.localtime(Record.objects.get(pk=record.pk).filed_at).strftime("%Y-%m-%d %H:%M")
    assert filed_at in table  # the value changed, in local time to the minute
    assert "—" in table  # the first version has no reason


def test_history_headers_are_chinese(client, archivist, filed_record):
    record = filed_record()
    client.force_login(archivist)

    html = client.get(admin_url(Record, "history", record.pk)).content.decode()

    table = re.search(r'(?s)<table id="change-history".*?</table>', html).group(0)
    headers = re.findall(r'<th scope="col">\s*(.*?)\s*</th>', table)
    assert headers[-5:] == ["时间", "操作", "修改人", "修改原因", "变更内容"]
    assert headers[0] == "版本"


def test_policy_history_reason_is_a_dash_not_none(client, archivist):
    policy = Policy.current()
    save_with_history(policy)  # a change written without a reason
    client.force_login(archivist)

    table = history_cell_text(client.get(admin_url(Policy, "history", policy.pk)))

    assert not re.search(r"\bNone\b", table)
    assert "—" in table


def test_demo_reasons_read_in_chinese():
    with translation.override("zh-hans"):
        assert str(reason_label(DEMO_CHANGE_REASON)) == "演示数据"
        assert "演示数据" in str(reason_label(DATES_MOVED))
        assert "演示数据" in str(reason_label(LEGACY_CHECK_IN))
    # The stored codes stay those older demo databases hold.
    assert DEMO_CHANGE_REASON == "demo data"


def export_file_name(response):
    disposition = response["Content-Disposition"]
    match = re.search(r"filename\*=utf-8''(\S+)", disposition)
    assert match, disposition
    return urllib.parse.unquote(match.group(1))


def test_contract_ledger_export_is_named_in_chinese_with_the_local_date(client, archivist, settings):
    client.force_login(archivist)
    url = admin_url(Contract, "export")
    page = client.get(url)
    form = page.context["form"]
    data = {"format": "0", "export_items": []}
    for name, field in form.fields.items():
        if name.startswith(("contractresource_", "resource")) or name.endswith("_select_all"):
            initial = form[name].value()
            if initial not in (None, False):
                data[name] = "on" if initial is True else initial
    response = client.post(url, data)

    assert response.status_code == 200, response.content[:500]
    today = timezone.localdate().isoformat()
    assert export_file_name(response) == f"合同台帐-{today}.xlsx"


def test_user_screens_name_roles_in_words_and_no_source_file(client, sysadmin, outside_staff):
    client.force_login(sysadmin)

    change = page_text(client.get(admin_url(type(sysadmin), "change", outside_staff.pk)))
    listing = page_text(client.get(admin_url(type(sysadmin), "changelist")))

    for text in (change, listing):
        assert not re.search(r"\b(outside_staff|department_head|sysadmin_role)\b", text)
        assert ".py" not in text
        assert "Can view" not in text
    with translation.override("zh-hans"):
        assert str(Role.OUTSIDE_STAFF.label) in listing  # the filter and the roles column
        assert str(Role.SYSADMIN.label) in change  # a role the system administrator may grant


def test_role_group_pages_name_roles_in_words(client, sysadmin):
    from django.contrib.auth.models import Group

    client.force_login(sysadmin)
    listing = page_text(client.get(admin_url(Group, "changelist")))
    group = Group.objects.get(name=Role.ARCHIVIST.group_name)
    page = page_text(client.get(admin_url(Group, "change", group.pk)))

    assert not re.search(r"\b(archivist|outside_staff|department_head)\b", listing)
    with translation.override("zh-hans"):
        assert str(Role.ARCHIVIST.label) in listing and str(Role.ARCHIVIST.label) in page
    assert "Can view" not in page and "查看" in page


def test_admin_index_has_no_untranslated_django_texts(client, sysadmin):
    client.force_login(sysadmin)

    text = page_text(client.get(reverse("admin:index")))

    for words in ["Model name", "Add link", "Change or view list link"]:
        assert words not in text


def test_admin_javascript_catalogue_translates_the_two_list_picker(client, sysadmin):
    """The role picker said "Choose all 组": Django 5.2's admin JavaScript
    texts are missing from its zh_Hans catalogue; ours fills them."""
    client.force_login(sysadmin)

    script = client.get(reverse("admin:jsi18n")).content.decode("utf-8")

    assert "\\u5168\\u9009%s" in script or "全选%s" in script  # 全选%s
    for msgid in ["Choose all %s", "Remove all %s", "Choose selected %s"]:
        assert f'"{msgid}":' in script  # present with a translation, not only as English


def test_times_shown_are_local(client, archivist, filed_record):
    record = filed_record()
    entry = record.history.order_by("-history_date").first()
    client.force_login(archivist)

    table = history_cell_text(client.get(admin_url(Record, "history", record.pk)))

    local = timezone.localtime(entry.history_date, timezone.get_default_timezone())
    assert local.strftime("%Y-%m-%d %H:%M") in table
    assert local.utcoffset() != datetime.timedelta(0) or settings.TIME_ZONE == "UTC"


def test_yes_no_icons_and_the_search_magnifier_have_chinese_alternative_text(client, sysadmin):
    client.force_login(sysadmin)

    html = client.get(admin_url(type(sysadmin), "changelist")).content.decode()

    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert alts, "the list shows yes/no icons and the search magnifier"
    assert not {"True", "False", "None", "Search"} & set(alts)
    with translation.override("zh-hans"):
        assert "是" in alts and translation.gettext("Search") in alts


def test_long_history_values_are_shortened_in_words():
    from accounts.admin.base import _ShortenedInWords

    display = _ShortenedInWords(max_length=80)
    old, new = display.common_shorten_repr("甲" * 200, "乙" * 200)

    with translation.override("zh-hans"):
        assert "chars" not in old + new
        assert "另有" in old and "甲" in old


def test_role_picker_is_named_roles(client, sysadmin, staff):
    client.force_login(sysadmin)

    form = client.get(admin_url(type(staff), "change", staff.pk)).context["adminform"].form
    widget = getattr(form.fields["groups"].widget, "widget", form.fields["groups"].widget)

    with translation.override("zh-hans"):
        assert str(widget.verbose_name) == "角色"
        assert {label for _value, label in form.fields["groups"].choices} >= {str(Role.STAFF.label)}


def test_sign_in_log_entry_is_named_by_who_and_local_time(client, sysadmin):
    from axes.models import AccessLog

    entry = AccessLog.objects.create(username="staff", ip_address="10.0.0.1", user_agent="x", path_info="/accounts/login/")
    client.force_login(sysadmin)

    text = page_text(client.get(admin_url(AccessLog, "change", entry.pk)))

    assert "Access Log" not in text
    assert f"staff · {timezone.localtime(entry.attempt_time):%Y-%m-%d %H:%M}" in text


def test_a_past_version_page_reads_in_chinese(client, archivist, filed_record):
    record = filed_record(title="关于展会的通知")
    version = record.history.order_by("history_date").first()
    client.force_login(archivist)

    text = page_text(client.get(admin_url(Record, "simple_history", record.pk, version.pk)))

    for word in ["Revert", "None", "True", "False", "submitted", "draft", "History"]:
        assert not re.search(rf"\b{word}\b", text), word
    assert "关于展会的通知" in text


def test_the_back_office_greets_people_by_their_full_name(client, archivist):
    archivist.full_name = "王芳"
    archivist.save(update_fields=["full_name"])
    client.force_login(archivist)
    tools = re.search(r'<div id="user-tools">(.*?)</div>', client.get(reverse("admin:index")).content.decode(), re.S)
    assert tools is not None
    assert "<strong>王芳</strong>" in tools.group(1)
    assert archivist.username not in tools.group(1)
