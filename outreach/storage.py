"""Photos are stored like every other file, in the default storage (local PRIVATE_FILES_ROOT or the object store:
docs/operations.md「多台服务器」), and served only by an access-checked view."""

from django.core.files.storage import default_storage


def private_storage():
    # Kept as a callable because the photo fields' migration names it; the default storage has no public URL.
    return default_storage
