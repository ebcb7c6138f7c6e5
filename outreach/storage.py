"""Photos live under settings.PRIVATE_FILES_ROOT and are served only by an access-checked view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Reads the root on every use so that a changed setting (tests, deployments) takes effect at once."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # There is deliberately no public URL for private files.
        return None


_storage = PrivateFileStorage()


def private_storage():
    return _storage
