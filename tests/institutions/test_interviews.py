"""The interview workflow of docs/domain.md, "约谈督导": guards, due dates as core.Deadline rows, attachments."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Deadline
from institutions.models import Interview, RectificationItem
from institutions.services import interviews as svc


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, tzinfo=dt.UTC), tick=False):
        yield


TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def interview(clerk_a, bank):
    return svc.interview_create(actor=clerk_a, institution=bank, reason="投诉量上升")


def _held(interview, clerk_a):
    svc.interview_schedule(
        actor=clerk_a,
        interview=interview,
        scheduled_at=timezone.now(),
        attendees="行长、分管副行长",
        topics="投诉处理",
    )
    return svc.interview_record_held(
        actor=clerk_a, interview=interview, held_on=TODAY, record="谈话记录", issues_found="双录缺失"
    )


def _deadlines(obj):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def test_steps_cannot_be_skipped(interview, clerk_a):
    with pytest.raises(ValidationError, match="不能执行此操作"):
        svc.interview_record_held(actor=clerk_a, interview=interview, held_on=TODAY, record="r", issues_found="i")
    with pytest.raises(ValidationError, match="参加人员"):
        svc.interview_schedule(actor=clerk_a, interview=interview, scheduled_at=timezone.now(), attendees="", topics="")
    assert Interview.objects.get(pk=interview.pk).status == Interview.Status.PROPOSED


def test_outsiders_cannot_act(interview, other_clerk):
    with pytest.raises(PermissionDenied):
        svc.interview_schedule(
            actor=other_clerk, interview=interview, scheduled_at=timezone.now(), attendees="a", topics="t"
        )


def test_full_path_opens_and_completes_deadlines(interview, clerk_a, supervisor):
    _held(interview, clerk_a)
    svc.interview_require_self_inspection(
        actor=clerk_a, interview=interview, scope="全辖同类问题", due_on=dt.date(2026, 6, 20)
    )
    deadline = _deadlines(interview).get()
    assert (deadline.due_on, deadline.status, deadline.institution_id) == (
        dt.date(2026, 6, 20),
        Deadline.Status.OPEN,
        interview.institution_id,
    )
    assert deadline.item_kind == "institutions.interview.self_inspection"
    assert deadline.owner == clerk_a and deadline.backup == clerk_a.backup
    svc.interview_record_self_inspection(
        actor=clerk_a,
        interview=interview,
        done_on=dt.date(2026, 6, 15),
        result="自查发现3处问题",
        items=[("规范双录", dt.date(2026, 7, 31)), ("培训员工", dt.date(2026, 8, 31))],
    )
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.DONE
    items = list(interview.rectification_items.all())
    assert [item.deadline.due_on for item in items] == [dt.date(2026, 7, 31), dt.date(2026, 8, 31)]
    with pytest.raises(ValidationError, match="未完成"):
        svc.interview_verify(actor=clerk_a, interview=interview, note="")
    for item in items:
        svc.rectification_complete(actor=clerk_a, item=item, completed_on=dt.date(2026, 7, 1), evidence_note="制度文件")
    assert not Deadline.objects.open().filter(pk__in=[i.deadline_id for i in items]).exists()
    svc.interview_verify(actor=clerk_a, interview=interview, note="已核实")
    with pytest.raises(PermissionDenied):
        svc.interview_close(actor=clerk_a, interview=interview)
    svc.interview_close(actor=supervisor, interview=interview, note="办结")
    assert interview.status == Interview.Status.CLOSED


def test_escalation_cancels_open_due_dates(interview, clerk_a, supervisor):
    _held(interview, clerk_a)
    svc.interview_require_self_inspection(actor=clerk_a, interview=interview, scope="s", due_on=dt.date(2026, 6, 20))
    with pytest.raises(ValidationError, match="原因"):
        svc.interview_escalate(actor=supervisor, interview=interview, note="")
    svc.interview_escalate(actor=supervisor, interview=interview, note="拒不自查")
    assert _deadlines(interview).get().status == Deadline.Status.CANCELLED
    assert interview.status == Interview.Status.ESCALATED


def test_a_proposal_can_be_dismissed_with_a_reason(interview, clerk_a):
    with pytest.raises(ValidationError):
        svc.interview_dismiss(actor=clerk_a, interview=interview, note="")
    svc.interview_dismiss(actor=clerk_a, interview=interview, note="已通过其他方式督促")
    assert interview.status == Interview.Status.DISMISSED


def test_self_inspection_due_date_cannot_be_past(interview, clerk_a):
    _held(interview, clerk_a)
    with pytest.raises(ValidationError, match="不能早于今天"):
        svc.interview_require_self_inspection(
            actor=clerk_a, interview=interview, scope="s", due_on=TODAY.replace(day=1) - dt.timedelta(days=1)
        )


def test_attachment_is_private_and_download_is_access_checked(interview, clerk_a, client_for, other_clerk):
    upload = SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = svc.interview_attach(actor=clerk_a, interview=interview, upload=upload, kind="record")
    assert "谈话记录" not in attachment.file.name
    assert len(attachment.sha256) == 64
    with pytest.raises(ValidationError):
        svc.interview_attach(
            actor=clerk_a, interview=interview, upload=SimpleUploadedFile("x.pdf", b"not a pdf"), kind="record"
        )
    response = client_for(clerk_a).get(f"/institutions/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert client_for(other_clerk).get(f"/institutions/attachments/{attachment.pk}/").status_code == 404


def test_rectification_completed_late_is_marked(interview, clerk_a):
    item = RectificationItem(
        interview=interview, description="d", due_on=dt.date(2026, 6, 1), completed_on=dt.date(2026, 6, 3)
    )
    assert item.completed_late
