"""File integrity: stored files re-read against the SHA-256 taken at upload (docs/operations.md 文件完整性校验)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django_celery_beat.models import PeriodicTask

from core.models import Notification
from core.tasks import verify_files_task
from tests.core import route_world
from tests.factories import make_institution

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def stored(orgs, clerk_a, supervisor, mediator, administrator, settings, tmp_path):
    """An attachment, an interview file, an authorisation document, a photo and a frozen list's files."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "files"
    settings.MEDIA_ROOT = tmp_path / "files"
    with time_machine.travel(NOW, tick=False):
        from institutions.reference_data import ensure_default_rules

        ensure_default_rules()
        laizhou = orgs["laizhou"]
        institution = make_institution(org=laizhou, short_name="莱州农商银行")
        world: dict = {}
        route_world.build_complaints(
            world, clerk_a=clerk_a, supervisor=supervisor, laizhou=laizhou, institution=institution
        )
        route_world.build_mediation(world, clerk_a=clerk_a, mediator=mediator, laizhou=laizhou, institution=institution)
        route_world.build_outreach(world, clerk_a=clerk_a, laizhou=laizhou)
        yield world


def test_intact_files_pass_and_nobody_is_disturbed(stored, capsys):
    call_command("verify_files", "--notify")

    out = capsys.readouterr().out
    # The attachment, the agent's authorisation document and the photo.
    assert "共校验 3 个文件，全部与登记的 SHA-256 一致。" in out
    assert not Notification.objects.filter(title__startswith="文件完整性校验").exists()


def test_altered_and_missing_files_are_listed_and_the_administrators_told(stored, administrator, clerk_a, capsys):
    attachment, photo = stored["attachment"], stored["photo"]
    # Someone edits an attachment on disk and deletes a photo.
    with open(attachment.file.path, "ab") as handle:
        handle.write(b"tampered")
    photo.file.storage.delete(photo.file.name)

    with time_machine.travel(NOW, tick=False):
        outcome = verify_files_task()

    assert outcome == {"checked": 3, "problems": 2, "notified": 1}
    notice = Notification.objects.get(recipient=administrator)
    assert notice.title == "文件完整性校验：2 个文件缺失或被改动"
    assert f"附件 #{attachment.pk}（{attachment.file.name}）：内容与登记的 SHA-256 不符" in notice.body
    assert f"活动照片 #{photo.pk}（{photo.file.name}）：文件缺失" in notice.body
    # Only system administrators hear of it; no personal data (the uploader's file name) is in the notice.
    assert not Notification.objects.filter(recipient=clerk_a, title__startswith="文件完整性校验").exists()
    assert attachment.original_name not in notice.body

    # The same day's second run tells nobody twice.
    with time_machine.travel(NOW, tick=False):
        verify_files_task()
    assert Notification.objects.filter(recipient=administrator).count() == 1

    with pytest.raises(CommandError, match="共校验 3 个文件，2 个缺失或内容被改动。"):
        call_command("verify_files")
    assert "文件缺失" in capsys.readouterr().out


def test_the_weekly_check_is_scheduled():
    task = PeriodicTask.objects.get(name="文件完整性校验")
    assert task.task == "core.verify_files" and task.enabled
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("2", "30", "6")
