"""Redis down: pages and intake keep working, background work is kept as 待发送 and the user is told;
once the queue is back `jobs_republish` sends it and a real worker does it."""

import datetime as dt
import io
import time

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from complaints.models import Case, LedgerExport
from core.exporters import HEADER_ROW
from core.models import BackgroundJob
from core.services.jobs import QUEUE_DOWN_MESSAGE
from institutions.services import lists as list_services
from tests.factories import make_institution_case
from tests.helpers import embedded_worker
from tests.resilience.conftest import point_celery_at

pytestmark = pytest.mark.django_db(transaction=True)

INTAKE = {
    "channel": "visit",
    "received_at": "2026-03-10T09:15",
    "name": "王小明",
    "phone": "13812345678",
    "id_number": "370683199001011237",
    "summary": "信用卡分期手续费争议",
    "topic": "complaint",
    "outcome": "opened_case",
    "case_type": "complaint",
    "group_size": "1",
    "materials_complete": "on",
}


def work_while_the_queue_is_down(client, clerk_a, bank, settings):
    """Intake, pages, a large ledger export and a list's files, all with the broker refusing connections."""
    settings.LEDGER_EXPORT_ASYNC_ROWS = 1
    started = time.monotonic()
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("complaints:intake"), {**INTAKE, "institution": bank.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(summary="信用卡分期手续费争议")
    assert client.get(response["Location"]).status_code == 200
    make_institution_case(institution=bank, received_on=dt.date(2025, 11, 3), owner=clerk_a)
    make_institution_case(institution=bank, received_on=dt.date(2025, 11, 4), owner=clerk_a)

    response = client.get(reverse("complaints:ledger_export"), {"format": "xlsx"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and QUEUE_DOWN_MESSAGE in page and "排队中" in page
    export = LedgerExport.objects.get()
    assert export.job.state == BackgroundJob.State.PENDING

    quarterly_list = list_services.list_draft(org=clerk_a.org, year=2025, quarter=4, actor=clerk_a)
    response = client.post(reverse("institutions:list_generate", args=[quarterly_list.pk]), follow=True)
    assert response.status_code == 200 and QUEUE_DOWN_MESSAGE in response.content.decode()
    assert client.get(reverse("complaints:index")).status_code == 200
    assert time.monotonic() - started < 30, "a refused broker must not hold the requests"

    jobs = {job.task_name: job for job in BackgroundJob.objects.all()}
    assert set(jobs) == {"complaints.tasks.build_ledger_export", "institutions.tasks.generate_list_files"}
    for job in jobs.values():
        assert job.state == BackgroundJob.State.PENDING and job.publish_attempts == 1
        assert "消息队列不可用" in job.last_error and "Connection refused" in job.last_error
    assert jobs["complaints.tasks.build_ledger_export"].args == [export.pk]
    return case, export, quarterly_list


def test_pages_and_intake_work_and_jobs_wait_while_the_queue_is_down(
    broker_down,
    client_for,
    clerk_a,
    bank,
    settings,
    private_files,
):
    case, export, quarterly_list = work_while_the_queue_is_down(client_for(clerk_a), clerk_a, bank, settings)
    assert case.number.startswith("TS-")
    # The re-publisher keeps them while the queue is still down, and says so.
    err = io.StringIO()
    call_command("jobs_republish", stdout=io.StringIO(), stderr=err)
    assert "消息队列仍不可用" in err.getvalue()
    assert BackgroundJob.objects.filter(state=BackgroundJob.State.PENDING).count() == 2
    # Back to the in-process runner (no broker configured): the republish runs them here.
    point_celery_at(None, eager=True)
    call_command("jobs_republish", stdout=io.StringIO())
    assert set(BackgroundJob.objects.values_list("state", "runs")) == {(BackgroundJob.State.DONE, 1)}
    export.refresh_from_db()
    quarterly_list.refresh_from_db()
    assert export.job.state == BackgroundJob.State.DONE and export.row_count == 3
    assert quarterly_list.generated_at is not None and quarterly_list.xlsx_file


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.celery_worker
def test_jobs_kept_while_redis_was_down_run_through_a_real_worker_once_it_is_back(
    broker_down,
    client_for,
    clerk_a,
    bank,
    settings,
    private_files,
):
    client = client_for(clerk_a)
    _case, export, quarterly_list = work_while_the_queue_is_down(client, clerk_a, bank, settings)

    point_celery_at(settings.CELERY_BROKER_URL, eager=False)  # Redis is back
    out = io.StringIO()
    call_command("jobs_republish", stdout=out)
    assert "已发送 2 个后台任务，仍待发送 0 个" in out.getvalue()
    assert not BackgroundJob.objects.filter(state=BackgroundJob.State.PENDING).exists()
    with embedded_worker(broker_down):
        assert wait_for(lambda: BackgroundJob.objects.filter(state=BackgroundJob.State.DONE).count() == 2)

    assert list(BackgroundJob.objects.values_list("runs", flat=True)) == [1, 1]
    export.refresh_from_db()
    assert export.job.state == BackgroundJob.State.DONE and export.row_count == 3
    download = client.get(reverse("complaints:export_download", args=[export.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.active.max_row == HEADER_ROW + 3  # title, caption, header and three cases
    quarterly_list.refresh_from_db()
    assert quarterly_list.generated_at is not None and quarterly_list.xlsx_file
    openpyxl.load_workbook(quarterly_list.xlsx_file.path)


def test_an_administrator_sees_waiting_jobs_and_can_send_them_again(
    broker_down, client_for, clerk_a, administrator, bank, settings, private_files
):
    work_while_the_queue_is_down(client_for(clerk_a), clerk_a, bank, settings)
    client = client_for(administrator)
    changelist = reverse("admin:core_backgroundjob_changelist")
    page = client.get(changelist, {"state": "pending"}).content.decode()
    assert page.count("待发送") >= 2 and "build_ledger_export" in page
    pending = list(BackgroundJob.objects.values_list("pk", flat=True))
    action = {"action": "republish", "_selected_action": pending}
    response = client.post(changelist, action, follow=True)
    assert "消息队列仍不可用，2 个任务继续待发送" in response.content.decode()
    point_celery_at(None, eager=True)
    response = client.post(changelist, action, follow=True)
    assert "已补发 2 个任务" in response.content.decode()
    assert set(BackgroundJob.objects.values_list("state", flat=True)) == {BackgroundJob.State.DONE}
