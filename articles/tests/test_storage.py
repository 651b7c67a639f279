"""Media on S3-compatible object storage, against moto's S3 server on loopback."""

from __future__ import annotations

import socket

import boto3
from django.core.files.storage import storages
from django.test import TestCase, override_settings
from moto.server import ThreadedMotoServer

from articles.models import Photo

from .factories import ArticleFactory, image_upload

BUCKET = "newsroom-media"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3StorageTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        host, port = cls.server.get_host_and_port()
        cls.endpoint = f"http://{host}:{port}"
        cls.s3 = boto3.client(
            "s3", endpoint_url=cls.endpoint, region_name="us-east-1", **CREDENTIALS
        )
        cls.s3.create_bucket(Bucket=BUCKET)

    def test_photo_and_its_renditions_land_in_the_bucket(self):
        """Saving a photo uploads the cleaned original, the web rendition and the thumbnail."""
        settings = {
            "STORAGES": {
                "default": {"BACKEND": "storages.backends.s3.S3Storage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
            "AWS_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
            "AWS_S3_FILE_OVERWRITE": False,
        }
        with override_settings(**settings):
            self.assertEqual(type(storages["default"]).__name__, "S3Storage")
            photo = Photo.objects.create(article=ArticleFactory(), image=image_upload())
            photo = Photo.objects.get(pk=photo.pk)
            self.assertIn(self.endpoint, photo.thumbnail.url)
        keys = {item["Key"] for item in self.s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
        self.assertEqual(keys, {photo.image.name, photo.web.name, photo.thumbnail.name})
        body = self.s3.get_object(Bucket=BUCKET, Key=photo.thumbnail.name)["Body"].read()
        self.assertEqual(body[:3], b"\xff\xd8\xff")  # a JPEG
