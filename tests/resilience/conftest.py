"""Fixtures of the resilience tests: a message queue that cannot be reached, and one that comes back."""

import pytest

from tests.complaints.conftest import frozen, institution, register  # noqa: F401
from tests.institutions.conftest import bank, rules  # noqa: F401
from tests.mediation.conftest import paper_mediator, partners  # noqa: F401

CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused at once


def point_celery_at(url: str | None, *, eager: bool) -> None:
    """Re-aim the process's Celery app, dropping pooled connections to the old broker."""
    from laizhou_xiaobao.celery import app

    # Only drop the references: kombu's pools are shared per URL, and closing one would close it for good.
    app._pool = None
    app.amqp._producer_pool = None
    # Publishing uses broker_write_url; broker_url itself would lose to a CELERY_BROKER_URL environment variable.
    app.conf.broker_write_url = url
    app.conf.task_always_eager = eager


@pytest.fixture
def broker_down():
    """The configured broker is unreachable for the test (Redis down)."""
    from laizhou_xiaobao.celery import app

    saved = app.conf.task_always_eager
    point_celery_at(CLOSED_BROKER, eager=False)
    yield app
    point_celery_at(None, eager=saved)
