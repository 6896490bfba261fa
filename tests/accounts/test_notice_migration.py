"""Notices moved from lending to accounts (accounts 0005, lending 0003) with
their table: a database with lending's notices keeps every row, read or not,
and the content type moves with them, so permissions granted on notices and
the back office's log entries still point at them."""
import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Notice, User

BEFORE = [("accounts", "0004_head_help_text_in_words"), ("lending", "0002_lending_policy")]
READ_AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


@pytest.mark.django_db(transaction=True)
def test_migrating_keeps_lendings_notices_and_their_permissions(staff):
    content_type = ContentType.objects.get_for_model(Notice)
    view_notice = Permission.objects.get(content_type=content_type, codename="view_notice")
    staff.user_permissions.add(view_notice)

    executor = migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    assert "notice" in old_apps.all_models["lending"]
    assert "notice" not in old_apps.all_models["accounts"]
    assert ContentType.objects.get(pk=content_type.pk).app_label == "lending"
    OldNotice = old_apps.get_model("lending", "Notice")
    unread = OldNotice.objects.create(user_id=staff.pk, text="请明天归还", url="/lending/")
    read = OldNotice.objects.create(user_id=staff.pk, text="您的借阅申请已批准", read_at=READ_AT)

    migrate()
    assert list(Notice.objects.order_by("pk").values_list("pk", "user_id", "text", "url", "read_at")) == [
        (unread.pk, staff.pk, "请明天归还", "/lending/", None),
        (read.pk, staff.pk, "您的借阅申请已批准", "", READ_AT),
    ]
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("accounts", "notice")
    assert not ContentType.objects.filter(app_label="lending", model="notice").exists()
    assert Permission.objects.get(pk=view_notice.pk).content_type_id == content_type.pk
    assert User.objects.get(pk=staff.pk).has_perm("accounts.view_notice")
