"""A real S3-compatible server for tests: moto's ThreadedMotoServer, in this
process, on a free port of 127.0.0.1, started once per test process and
stopped at its end. Each test that asks for `s3_storage` gets a new private
bucket and the site's default storage switched to django-storages'
S3Storage on it, exactly as ARCHIVE_S3_BUCKET configures it."""
import uuid
from dataclasses import dataclass

ACCESS_KEY = "archive-test-key"
SECRET_KEY = "archive-test-secret"
REGION = "us-east-1"


@dataclass
class S3Server:
    endpoint_url: str
    server: object

    def client(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, region_name=REGION,
        )


def start_server():
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line a request otherwise

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return S3Server(f"http://{host}:{port}", server)


@dataclass
class Bucket:
    """A bucket of the test server and the settings that store in it."""

    server: S3Server
    name: str
    prefix: str

    def keys(self):
        """Every object key in the bucket, listed by the server itself."""
        pages = self.server.client().get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key):
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()

    def key(self, storage_name):
        return f"{self.prefix}/{storage_name}" if self.prefix else storage_name

    def storage_options(self):
        """The STORAGES["default"] archive_site/settings.py makes of this
        bucket's environment."""
        return settings_with(self.environment())["STORAGES"]["default"]

    def environment(self):
        """The ARCHIVE_S3_* variables that select this bucket."""
        return {
            "ARCHIVE_S3_BUCKET": self.name,
            "ARCHIVE_S3_ENDPOINT_URL": self.server.endpoint_url,
            "ARCHIVE_S3_ACCESS_KEY": ACCESS_KEY,
            "ARCHIVE_S3_SECRET_KEY": SECRET_KEY,
            "ARCHIVE_S3_REGION": REGION,
            "ARCHIVE_S3_ADDRESSING_STYLE": "path",
            "ARCHIVE_S3_PREFIX": self.prefix,
        }


def new_bucket(server, prefix="archive"):
    name = f"archive-test-{uuid.uuid4().hex[:12]}"
    server.client().create_bucket(Bucket=name)
    return Bucket(server, name, prefix)


def settings_with(environment):
    """archive_site/settings.py read again with `environment` added to the
    process's: its names and values, as a dict. The tests use the storage
    exactly as the settings configure it."""
    import importlib.util
    import os
    from unittest import mock

    from archive_site import settings as site_settings

    with mock.patch.dict(os.environ, environment):
        spec = importlib.util.spec_from_file_location("_settings_again", site_settings.__file__)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return vars(module)
