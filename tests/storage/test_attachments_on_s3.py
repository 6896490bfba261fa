"""Electronic files on S3-compatible object storage (ARCHIVE_S3_BUCKET),
against a real S3 server (moto, tests/storage_support.py): an upload through
the site lands in the bucket and nowhere on the local disk, comes back
through the permission-checked views streamed as it downloads, and is never
readable without a signature (R-ACCESS, R-LEND-4)."""
import io
import os
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from records.attachments import add_attachment
from core.stored_files import ObjectStream
from records.models import Attachment, SecurityLevel
from tests.records.test_filetypes import make_docx
from tests.storage_support import settings_with

pytestmark = pytest.mark.django_db


def noise_png(side=1000):
    """An incompressible PNG of about side² × 3 bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def files_on_disk(root):
    return [path for path in root.rglob("*") if path.is_file()]


def test_local_disk_stays_the_default_and_the_bucket_switches_to_private_s3():
    assert settings_with({"ARCHIVE_S3_BUCKET": ""})["STORAGES"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    options = settings_with({"ARCHIVE_S3_BUCKET": "archive", "ARCHIVE_S3_PREFIX": "/files/"})["STORAGES"]["default"]
    assert options["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["OPTIONS"]["location"] == "files"
    assert options["OPTIONS"]["default_acl"] is None
    assert options["OPTIONS"]["querystring_auth"] is True
    assert options["OPTIONS"]["querystring_expire"] <= 300
    assert options["OPTIONS"]["file_overwrite"] is False


def test_a_key_without_its_secret_is_refused_at_start():
    with pytest.raises(ImproperlyConfigured, match="ARCHIVE_S3_SECRET_KEY"):
        settings_with({"ARCHIVE_S3_BUCKET": "archive", "ARCHIVE_S3_ACCESS_KEY": "key", "ARCHIVE_S3_SECRET_KEY": ""})


def test_an_upload_through_the_site_lands_in_the_bucket_not_on_disk(client, archivist, filed_record, s3_bucket):
    record = filed_record(security_level=SecurityLevel.INTERNAL)
    content = make_docx(["户外广告合同"])
    client.force_login(archivist)

    response = client.post(reverse("attachment_upload", args=[record.pk]),
                           {"file": SimpleUploadedFile("合同扫描.docx", content)})

    assert response.status_code == 302
    attachment = Attachment.objects.get(record=record)
    assert s3_bucket.keys() == [s3_bucket.key(attachment.file.name)]
    assert s3_bucket.read(s3_bucket.key(attachment.file.name)) == content
    assert attachment.extracted_text == "户外广告合同"
    assert files_on_disk(s3_bucket.local_root) == []


def test_download_and_preview_stream_from_the_bucket_to_those_who_may_see(
    client, staff, archivist, filed_record, s3_bucket
):
    content = noise_png()
    assert len(content) > 2_000_000
    record = filed_record(security_level=SecurityLevel.INTERNAL)
    attachment = add_attachment(record=record, uploaded_file=SimpleUploadedFile("海报.png", content),
                                by=archivist).attachment
    client.force_login(staff)

    for name in ("attachment_download", "attachment_preview"):
        response = client.get(reverse(name, args=[attachment.pk]))
        assert response.status_code == 200
        assert int(response["Content-Length"]) == len(content)
        # Relayed as it downloads: the first block is sent when a little of the object has been read.
        # (a middleware re-wraps streaming_content; the stream is among what the response closes)
        [stream] = [getattr(close, "__self__", None) for close in response._resource_closers
                    if isinstance(getattr(close, "__self__", None), ObjectStream)]
        chunks = iter(response.streaming_content)
        first = next(chunks)
        assert stream._body.tell() < 256 * 1024
        assert first + b"".join(chunks) == content  # read through, the test client closes the response
    thumbnail = client.get(reverse("attachment_thumbnail", args=[attachment.pk]))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(thumbnail.content)) as picture:
        assert max(picture.size) < 1000  # drawn from the file read back from the bucket
    assert files_on_disk(s3_bucket.local_root) == []


def test_r_lend_4_a_file_of_a_record_the_user_may_not_see_is_404(client, staff, archivist, filed_record, s3_bucket):
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    attachment = add_attachment(record=record, uploaded_file=SimpleUploadedFile("纪要.docx", make_docx(["纪要"])),
                                by=archivist).attachment
    client.force_login(staff)

    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("attachment_preview", args=[attachment.pk])).status_code == 404


def test_a_file_missing_from_the_bucket_is_404(client, archivist, filed_record, s3_bucket):
    record = filed_record(security_level=SecurityLevel.INTERNAL)
    attachment = add_attachment(record=record, uploaded_file=SimpleUploadedFile("协议.docx", make_docx(["协议"])),
                                by=archivist).attachment
    s3_bucket.server.client().delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key(attachment.file.name))
    client.force_login(archivist)

    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404


def test_objects_are_not_publicly_readable_and_signed_urls_are_short_lived(archivist, filed_record, s3_bucket):
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    content = make_docx(["价格调整"])
    attachment = add_attachment(record=record, uploaded_file=SimpleUploadedFile("价格.docx", content),
                                by=archivist).attachment
    key = s3_bucket.key(attachment.file.name)
    acl = s3_bucket.server.client().get_object_acl(Bucket=s3_bucket.name, Key=key)
    assert [grant["Grantee"].get("URI") for grant in acl["Grants"] if grant["Grantee"].get("URI")] == []

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_bucket.server.endpoint_url}/{s3_bucket.name}/{key}", timeout=10)
    assert refused.value.code == 403

    signed = default_storage.url(attachment.file.name)
    assert int(parse_qs(urlsplit(signed).query)["X-Amz-Expires"][0]) <= 300
    with urllib.request.urlopen(signed, timeout=10) as answer:
        assert answer.read() == content
