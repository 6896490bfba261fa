"""Whether the configured object store is fit to hold the archive's files
(`manage.py check_object_storage`, run before the web server starts by
deploy/systemd/archive-web.service): a probe object is written, read back
and deleted; a second conditional creation of one name must be refused,
since a back-office import's confirmation is claimed that way
(records.import_files: a store that ignores If-None-Match lets two servers
import one file twice); and neither the bucket's ACL nor its policy may let
anyone without credentials read it. Each finding is a sentence for the
person setting up the site."""
import json
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)
REFUSED_CODES = ("PreconditionFailed", "412", "ConditionalRequestConflict")
NOT_SUPPORTED_CODES = ("NotImplemented", "501", "MethodNotAllowed", "XNotImplemented")
# What the store's usual refusals mean, for the person setting up the site.
_REFUSALS = {
    "NoSuchBucket": gettext_lazy("the bucket does not exist (create it first)"),
    "AccessDenied": gettext_lazy("the account may not use the bucket (check its rights)"),
    "403": gettext_lazy("the account may not use the bucket (check its rights)"),
    "InvalidAccessKeyId": gettext_lazy("the store does not know the access key"),
    "SignatureDoesNotMatch": gettext_lazy("the secret key does not belong to the access key"),
}


@dataclass(frozen=True)
class Finding:
    ok: bool
    message: str


def check_store(storage):
    """The findings for an S3Storage, in the order they were checked."""
    from botocore.exceptions import BotoCoreError, ClientError

    client, bucket = storage.connection.meta.client, storage.bucket_name
    probe = storage._normalize_name(f".archive-check/{uuid.uuid4().hex}")
    try:
        return [
            _write_read_delete(client, bucket, probe),
            _conditional_create(client, bucket, probe + ".claimed"),
            *_public_read(client, bucket),
        ]
    except (ClientError, BotoCoreError) as error:
        return [Finding(False, _("The object store could not be used: %(error)s") % {"error": _reason(error)})]


def _write_read_delete(client, bucket, key):
    body = b"marketing archive storage check"
    client.put_object(Bucket=bucket, Key=key, Body=body)
    try:
        read = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    finally:
        client.delete_object(Bucket=bucket, Key=key)
    if read != body:
        return Finding(False, _("A file written to the object store came back different."))
    return Finding(True, _("Files can be written, read back and deleted."))


def _conditional_create(client, bucket, key):
    from botocore.exceptions import ClientError

    try:
        client.put_object(Bucket=bucket, Key=key, Body=b"", IfNoneMatch="*")
        try:
            client.put_object(Bucket=bucket, Key=key, Body=b"", IfNoneMatch="*")
        except ClientError as error:
            if _code(error) in REFUSED_CODES:
                return Finding(True, _("A name can be claimed only once (conditional writes are honoured)."))
            raise
    finally:
        client.delete_object(Bucket=bucket, Key=key)
    return Finding(
        False,
        _(
            "The object store ignores conditional writes (If-None-Match): with several application servers "
            "one import could be confirmed twice. Use a store that supports them (MinIO, Ceph, Amazon S3 and "
            "Alibaba Cloud OSS do in current versions), or run a single application server."
        ),
    )


def _public_read(client, bucket):
    from botocore.exceptions import ClientError

    findings = []
    try:
        grants = client.get_bucket_acl(Bucket=bucket).get("Grants", [])
        public = [grant for grant in grants if grant.get("Grantee", {}).get("URI") in PUBLIC_GROUPS]
        findings.append(
            Finding(False, _("The bucket's access list lets anyone read it: make the bucket private."))
            if public
            else Finding(True, _("The bucket's access list is private."))
        )
    except ClientError as error:
        if _code(error) not in NOT_SUPPORTED_CODES:
            raise
    try:
        policy = json.loads(client.get_bucket_policy(Bucket=bucket)["Policy"])
    except ClientError as error:
        if _code(error) not in ("NoSuchBucketPolicy", *NOT_SUPPORTED_CODES):
            raise
        policy = {}
    if any(_allows_anyone(statement) for statement in policy.get("Statement", [])):
        findings.append(Finding(False, _("The bucket's policy lets anyone read it: remove that statement.")))
    else:
        findings.append(Finding(True, _("No bucket policy lets anyone read it.")))
    return findings


def _allows_anyone(statement):
    principal = statement.get("Principal")
    anyone = principal == "*" or (isinstance(principal, dict) and "*" in _as_list(principal.get("AWS")))
    return statement.get("Effect") == "Allow" and anyone


def _as_list(value):
    return value if isinstance(value, list) else [value]


def _code(error):
    return str(error.response.get("Error", {}).get("Code", ""))


def _reason(error):
    """Why the store could not be used, in words; the store's own code in
    brackets when it is not one of the usual ones."""
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    if isinstance(error, ClientError):
        code = _code(error) or str(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
        return str(_REFUSALS.get(code, "")) or _("the store refused the request (%(code)s)") % {"code": code}
    if isinstance(error, EndpointConnectionError):
        return _("its address (ARCHIVE_S3_ENDPOINT_URL) cannot be reached")
    if isinstance(error, NoCredentialsError):
        return _("no access key is configured (ARCHIVE_S3_ACCESS_KEY)")
    return _("the connection to it failed (%(error)s)") % {"error": type(error).__name__}
