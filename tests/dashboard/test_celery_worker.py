import datetime as dt
import logging

import pytest

from core.models import Notification
from tests.dashboard.conftest import open_item
from tests.factories import make_open_case
from tests.helpers import embedded_worker


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_reminder_task_runs_through_a_real_celery_worker_and_writes_notifications(orgs, clerk_a, supervisor):
    """CI runs this with CELERY_BROKER_URL=redis://…: the task goes through Redis to a worker thread."""
    from core.tasks import send_reminders_task
    from laizhou_xiaobao.celery import app

    case = make_open_case(org=orgs["laizhou"], owner=clerk_a)
    open_item(case, dt.date(2025, 9, 29), label="受理告知")
    assert not app.conf.task_always_eager

    with embedded_worker(app):
        result = send_reminders_task.delay("2025-09-30").get(timeout=60)

    assert result == {"date": "2025-09-30", "sent": 2, "skipped": ""}
    digest = Notification.objects.get(recipient=clerk_a)
    assert "受理告知" in digest.body and digest.key == "reminder:2025-09-30"
    assert Notification.objects.filter(recipient=supervisor, kind=Notification.Kind.OVERDUE).count() == 1


@pytest.mark.celery_worker
def test_an_embedded_worker_leaves_the_logging_of_later_tests_as_it_was(caplog):
    """The worker thread sets the root logger to ERROR; the tests after it on the same process still see warnings."""
    from laizhou_xiaobao.celery import app

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    with embedded_worker(app):
        assert root.level == logging.ERROR  # what celery.contrib.testing does, which the helper undoes
    assert (root.level, root.handlers) == (level, handlers)
    logging.getLogger("laizhou_xiaobao.health").warning("readyz: broker unreachable")
    assert "readyz: broker unreachable" in caplog.text
