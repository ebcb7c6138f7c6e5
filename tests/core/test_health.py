"""/healthz and /readyz as a load balancer calls them: by address, over plain HTTP, without a session
(docs/operations.md「多台服务器」)."""

import pytest
from django.core.cache import cache
from django.test import Client

from complaints import search

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def probe(path, **headers):
    # The load balancer's address as Host, which ALLOWED_HOSTS does not list.
    return Client(HTTP_HOST="10.0.0.7:8000", **headers).get(path)


def test_healthz_answers_ok_to_anyone_without_a_session_or_a_redirect(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = probe("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain") and response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_readyz_is_ready_when_everything_is_reachable(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files-not-yet-created"
    response = probe("/readyz")
    assert response.status_code == 200 and response.content == b"ready"
    assert (tmp_path / "files-not-yet-created").is_dir()


def test_readyz_is_not_ready_without_the_broker_and_says_nothing_more(settings, caplog):
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS
    response = probe("/readyz")
    assert response.status_code == 503 and response.content == b"not ready"
    assert "readyz: broker unreachable" in caplog.text


def test_readyz_is_not_ready_without_the_cache(settings, caplog):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": UNREACHABLE_REDIS}}
    response = probe("/readyz")
    assert response.status_code == 503 and response.content == b"not ready"
    assert "readyz: cache unreachable" in caplog.text


def test_readyz_is_not_ready_when_the_files_cannot_be_written(settings, tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = blocker / "files"
    response = probe("/readyz")
    assert response.status_code == 503
    assert "readyz: storage unreachable" in caplog.text


def test_other_paths_still_need_an_allowed_host():
    assert probe("/accounts/login/").status_code == 400


@pytest.mark.celery_worker
def test_a_value_cached_by_one_node_is_read_by_another_through_redis(settings):
    """Two processes are two cache clients: a second client on the same Redis sees the first one's value."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": "test-health",
        }
    }
    from django_redis.cache import RedisCache

    other_node = RedisCache(settings.CELERY_BROKER_URL, {"KEY_PREFIX": "test-health"})
    try:
        cache.set(search.frequencies_cache_key(), {"理赔": 0.5})
        assert other_node.get(search.frequencies_cache_key()) == {"理赔": 0.5}
        assert probe("/readyz").status_code == 200
    finally:
        cache.delete(search.frequencies_cache_key())
