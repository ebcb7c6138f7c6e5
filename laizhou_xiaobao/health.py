"""Health endpoints for a load balancer (docs/operations.md「多台服务器」).

`/healthz` says the process answers; `/readyz` says this node can serve: the database, the cache, the broker (when
one is configured) and the file storage are reachable. Both are answered by a middleware placed first, before the
host check, the HTTPS redirect, sessions and login, because a load balancer probes by address over plain HTTP and
carries no session. They are cheap (one `SELECT 1`, one cache round trip, one broker connection, one storage
listing) and reveal nothing: the body is a single word; what failed goes to the log.
"""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpResponse
from kombu import Connection

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # tasks run in-process: no broker to reach
    timeout = settings.READYZ_TIMEOUT_SECONDS
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)


def _storage() -> None:
    if not isinstance(default_storage, FileSystemStorage):  # an object store: list its root
        default_storage.listdir("")
        return
    location = default_storage.location
    # Local disk (the embedded default): the directory is created on first upload, so create it now if need be.
    os.makedirs(location, exist_ok=True)
    if not os.access(location, os.W_OK | os.X_OK):
        raise PermissionError(f"{location} is not writable")


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "storage": _storage}


def failed_checks() -> list[str]:
    """The names of the checks that fail (logged with their error), in a fixed order."""
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not ready"; the details go to the log, never to the caller
            logger.warning("readyz: %s unreachable", name, exc_info=True)
            failed.append(name)
    return failed


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    """Answers /healthz and /readyz before anything else runs; every other request passes through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH:
            return _plain("ok", 200)
        if request.path == READY_PATH:
            return _plain("not ready", 503) if failed_checks() else _plain("ready", 200)
        return self.get_response(request)
