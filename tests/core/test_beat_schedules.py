"""Every beat schedule is declared once (core/schedules.py) and the database follows the declaration."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from core import schedules
from core.schedules import SCHEDULES, Crontab, Every, sync_beat_schedules


def _entries():
    return {task.name: task for task in PeriodicTask.objects.select_related("crontab", "interval")}


def _timing(task):
    if task.interval_id:
        return Every(minutes=task.interval.every)
    crontab = task.crontab
    return Crontab(crontab.minute, crontab.hour, crontab.day_of_week, crontab.day_of_month, crontab.month_of_year)


def test_migrate_leaves_every_declared_schedule_once(db):
    entries = _entries()
    for declared in SCHEDULES:
        task = entries[declared.name]
        assert (task.task, _timing(task), task.enabled) == (declared.task, declared.when, True)
        if task.crontab_id:
            assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES]).count() == len(SCHEDULES)


def test_expired_export_files_are_purged_every_night(db):
    task = PeriodicTask.objects.get(task="core.purge_expired_job_files")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("0", "3", "*")


def test_a_second_sync_changes_nothing(db):
    before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count(), IntervalSchedule.objects.count())
    outcome = sync_beat_schedules()
    assert outcome["created"] == outcome["updated"] == outcome["removed"] == []
    assert sorted(outcome["unchanged"]) == sorted(s.name for s in SCHEDULES)
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count(), IntervalSchedule.objects.count()) == before


def test_a_changed_declaration_updates_the_entry_and_keeps_a_pause(db):
    reminder = PeriodicTask.objects.get(name="每日期限提醒")
    # An older deployment ran it at 09:00 with another description; an administrator paused it.
    reminder.crontab = CrontabSchedule.objects.create(minute="0", hour="9", timezone="Asia/Shanghai")
    reminder.description = "旧说明"
    reminder.enabled = False
    reminder.save()
    outcome = sync_beat_schedules()
    assert outcome["updated"] == ["每日期限提醒"]
    reminder.refresh_from_db()
    assert (reminder.crontab.minute, reminder.crontab.hour) == ("30", "8")
    assert reminder.description.startswith("工作日 08:30")
    assert reminder.enabled is False, "pausing an entry is the administrator's decision"


def test_a_lost_entry_is_created_again(db):
    PeriodicTask.objects.filter(name="补发待发送的后台任务").delete()
    assert sync_beat_schedules()["created"] == ["补发待发送的后台任务"]
    assert PeriodicTask.objects.get(name="补发待发送的后台任务").interval.every == 1


def test_retired_entries_are_removed_and_others_left_alone(db, monkeypatch):
    every_day = CrontabSchedule.objects.create(minute="0", hour="2", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(name="旧的清理任务", task="complaints.tasks.purge_old", crontab=every_day)
    PeriodicTask.objects.create(name="管理员自建的提醒", task="core.send_reminders", crontab=every_day)
    monkeypatch.setattr(schedules, "RETIRED", ("旧的清理任务",))
    assert sync_beat_schedules()["removed"] == ["旧的清理任务"]
    assert not PeriodicTask.objects.filter(name="旧的清理任务").exists()
    assert PeriodicTask.objects.filter(name="管理员自建的提醒").exists()


def test_the_command_reports_what_it_did(db, capsys):
    PeriodicTask.objects.filter(name="每日期限提醒").delete()
    call_command("sync_beat_schedules")
    out = capsys.readouterr().out
    assert "新建：每日期限提醒" in out and "新建 1，更新 0" in out


@pytest.mark.django_db(transaction=True)
def test_schedules_survive_a_flush_of_the_database():
    # A TransactionTestCase empties every table (flush) and then sends post_migrate, as a reused test database does.
    call_command("flush", interactive=False, verbosity=0)
    assert set(_entries()) >= {s.name for s in SCHEDULES}
