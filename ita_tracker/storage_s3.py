"""Uploads in an S3-compatible bucket (installed with the "s3" extra: django-storages, boto3)."""

from storages.backends.s3 import S3Storage

from ita_tracker.storage import ThaiFileNames


class S3Uploads(ThaiFileNames, S3Storage):
    """Evidence and import previews in the bucket named by ITA_S3_BUCKET."""
