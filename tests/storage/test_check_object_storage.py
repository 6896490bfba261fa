"""`manage.py check_object_storage` against a real S3 server (moto): a
private bucket that honours conditional writes passes; a bucket anyone may
read, or a store that ignores If-None-Match (the claim of an import's
confirmation, records.import_files), is named and the command fails."""
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import translation


def check():
    out, err = io.StringIO(), io.StringIO()
    with translation.override("zh-hans"):
        try:
            call_command("check_object_storage", stdout=out, stderr=err)
            failed = None
        except CommandError as error:
            failed = str(error)
    return out.getvalue(), err.getvalue(), failed


def test_a_private_bucket_that_honours_conditional_writes_passes(s3_bucket):
    out, err, failed = check()
    assert failed is None and err == ""
    assert "可以写入、读回和删除" in out and "只能认领一次" in out and "访问列表是私有的" in out
    assert [key for key in s3_bucket.keys() if ".archive-check" in key] == []  # the probes are gone


def test_a_bucket_anyone_may_read_is_refused(s3_bucket):
    s3_bucket.server.client().put_bucket_acl(Bucket=s3_bucket.name, ACL="public-read")
    out, err, failed = check()
    assert "任何人都可读取" in err and failed


def test_a_policy_letting_anyone_read_is_refused(s3_bucket):
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{s3_bucket.name}/*"}],
    }
    s3_bucket.server.client().put_bucket_policy(Bucket=s3_bucket.name, Policy=json.dumps(policy))
    out, err, failed = check()
    assert "存储桶策略允许任何人读取" in err and failed


def test_a_store_ignoring_conditional_writes_is_named(s3_bucket):
    """An older store simply drops the header: the request goes to the real
    server without If-None-Match, so the second creation succeeds."""
    client = default_storage.connection.meta.client

    def drop_condition(params, **kwargs):
        params.pop("IfNoneMatch", None)

    client.meta.events.register("provide-client-params.s3.PutObject", drop_condition)
    try:
        out, err, failed = check()
    finally:
        client.meta.events.unregister("provide-client-params.s3.PutObject", drop_condition)
    assert "忽略条件写入" in err and failed


@pytest.mark.django_db
def test_without_object_storage_it_says_files_stay_on_this_disk():
    out, err, failed = check()
    assert failed is None and "本机磁盘" in out


def test_a_missing_bucket_is_named_in_words(s3_bucket, settings):
    options = dict(settings.STORAGES["default"]["OPTIONS"], bucket_name=f"{s3_bucket.name}-none")
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    out, err, failed = check()
    assert "无法使用对象存储：存储桶不存在" in err and failed


def test_an_address_nobody_answers_is_named_in_words(s3_bucket, settings):
    options = dict(settings.STORAGES["default"]["OPTIONS"], endpoint_url="http://127.0.0.1:9")  # discard port
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    out, err, failed = check()
    assert "ARCHIVE_S3_ENDPOINT_URL" in err and "无法连接" in err and failed
