import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from core.models import Absence, Notification
from core.reminders import describe, send_reminders
from core.roles import Role
from tests.dashboard.conftest import open_item
from tests.factories import make_open_case, make_user

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2025, 9, 30)  # the working day before the National Day holiday


@pytest.fixture
def items(orgs, clerk_a, clerk_b, supervisor):
    """clerk_a's case with an overdue, a today, a due-soon (after the holiday) and an on-time deadline."""
    case = make_open_case(
        org=orgs["laizhou"],
        owner=clerk_a,
        backup=clerk_b,
        name="王建国",
        phone="13800001111",
        id_number="370683198001011234",
        address="莱州市文化东街1号",
    )
    return {
        "case": case,
        "overdue": open_item(case, dt.date(2025, 9, 29), label="受理告知"),
        "today": open_item(case, dt.date(2025, 9, 30), label="转送机构"),
        "soon": open_item(case, dt.date(2025, 10, 11), label="书面答复"),
        "later": open_item(case, dt.date(2025, 10, 20), label="调查结论"),
    }


def _notes(user):
    return list(Notification.objects.filter(recipient=user))


def test_each_acting_handler_gets_one_digest_of_due_soon_and_overdue_items(items, clerk_a, clerk_b, supervisor):
    run = send_reminders(TUESDAY)
    [digest] = _notes(clerk_a)
    number = items["case"].number
    assert f"{number} 受理告知" in digest.body
    assert f"{number} 转送机构" in digest.body
    assert f"{number} 书面答复" in digest.body  # 10-11 is the 3rd working day after the holiday
    assert "调查结论" not in digest.body
    assert "超期 1 件" in digest.title and "即将到期 2 件" in digest.title
    assert digest.kind == Notification.Kind.OVERDUE
    assert digest.key == "reminder:2025-09-30"
    assert _notes(clerk_b) == []
    assert run.sent == 2


def test_overdue_items_also_go_to_the_supervisor(items, supervisor):
    send_reminders(TUESDAY)
    [digest] = _notes(supervisor)
    assert "本单位超期事项督办" in digest.body
    assert "受理告知" in digest.body
    assert "转送机构" not in digest.body  # due today, not overdue: not the supervisor's business yet


def test_notifications_carry_labels_only_never_personal_data(items, clerk_a, supervisor):
    send_reminders(TUESDAY)
    for notification in Notification.objects.all():
        text = notification.title + notification.body + notification.link
        for secret in ("王建国", "13800001111", "370683198001011234", "文化东街"):
            assert secret not in text


def test_b_gets_the_items_of_an_absent_a(items, clerk_a, clerk_b):
    Absence.objects.create(user=clerk_a, start_on=dt.date(2025, 9, 29), end_on=dt.date(2025, 10, 10), kind="leave")
    send_reminders(TUESDAY)
    assert _notes(clerk_a) == []
    [digest] = _notes(clerk_b)
    assert "代缺岗A岗办理" in digest.body and "受理告知" in digest.body


def test_supervisor_gets_the_items_with_a_warning_when_a_and_b_are_both_absent(items, clerk_a, clerk_b, supervisor):
    for user in (clerk_a, clerk_b):
        Absence.objects.create(user=user, start_on=TUESDAY, end_on=TUESDAY, kind="training")
    send_reminders(TUESDAY)
    assert _notes(clerk_a) == [] and _notes(clerk_b) == []
    [digest] = _notes(supervisor)
    assert digest.kind == Notification.Kind.WARNING
    assert "A岗、B岗均不在岗" in digest.body
    assert "书面答复" in digest.body


@pytest.mark.parametrize(
    "rest_day",
    [dt.date(2025, 10, 1), dt.date(2025, 10, 4), dt.date(2025, 10, 12)],
    ids=["national-day", "saturday-in-holiday", "ordinary-sunday"],
)
def test_no_reminders_on_rest_days(items, rest_day):
    run = send_reminders(rest_day)
    assert "休息日" in run.skipped_reason
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    "shifted_workday", [dt.date(2025, 9, 28), dt.date(2025, 10, 11)], ids=["sunday-0928", "saturday-1011"]
)
def test_reminders_are_sent_on_shifted_weekend_working_days(items, clerk_a, shifted_workday):
    run = send_reminders(shifted_workday)
    assert not run.skipped_reason
    assert len(_notes(clerk_a)) == 1


def test_running_twice_on_one_day_sends_nothing_twice(items, clerk_a, supervisor, django_capture_on_commit_callbacks):
    clerk_a.email = "lin@example.com"
    clerk_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders(TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = send_reminders(TUESDAY)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1
    assert (first.sent, second.sent, second.already_sent) == (2, 0, 2)
    # The next working day is a new digest.
    send_reminders(dt.date(2025, 10, 9))
    assert Notification.objects.filter(recipient=clerk_a).count() == 2


def test_a_crashed_run_can_be_run_again(items, clerk_a, supervisor, django_capture_on_commit_callbacks):
    clerk_a.email = "lin@example.com"
    clerk_a.save(update_fields=["email"])
    # The crashed run stored clerk_a's digest but died before its e-mail and before the supervisor's row.
    Notification.objects.create(recipient=clerk_a, title="期限提醒", key="reminder:2025-09-30")
    with django_capture_on_commit_callbacks(execute=True):
        run = send_reminders(TUESDAY)
    assert Notification.objects.filter(recipient=clerk_a).count() == 1
    assert Notification.objects.filter(recipient=supervisor).count() == 1
    assert len(mail.outbox) == 1  # clerk_a's e-mail is delivered on the re-run
    assert run.sent == 1


def test_dry_run_writes_nothing_and_says_who_would_get_what(items, clerk_a, capsys):
    call_command("send_reminders", "--date", "2025-09-30", "--dry-run")
    out = capsys.readouterr().out
    assert "林晓岚" in out and "受理告知" in out and "试运行" in out
    assert Notification.objects.count() == 0


def test_command_sends_and_reports(items, clerk_a, capsys):
    call_command("send_reminders", "--date", "2025-09-30")
    assert "已发送 2 条提醒" in capsys.readouterr().out
    call_command("send_reminders", "--date", "2025-10-01")
    assert "休息日" in capsys.readouterr().out


def test_a_year_not_verified_still_sends_reminders_and_warns_the_administrators_once_a_day(
    items, administrator, clerk_a
):
    run = send_reminders(dt.date(2027, 1, 4))
    assert run.skipped_reason == "" and [year.year for year in run.unverified_years] == [2027]
    warnings = Notification.objects.filter(recipient=administrator, key="calendar-unverified:2027-01-04")
    assert warnings.count() == 1 and warnings.get().kind == Notification.Kind.WARNING
    assert warnings.get().title == "请核对工作日历：2027年"
    # The overdue items of 2025 still reach their handler.
    assert Notification.objects.filter(recipient=clerk_a, key="reminder:2027-01-04").exists()
    send_reminders(dt.date(2027, 1, 4))
    assert Notification.objects.filter(recipient=administrator).count() == 1


def test_due_soon_window_reaching_a_year_not_verified_is_counted_over_its_draft(items, administrator, orgs, clerk_a):
    from core.services.deadlines import deadline_open

    # 2026-12-31 is a working day; three working days later is 2027-01-06 in the draft (01-01 is 元旦).
    deadline_open(
        item=orgs["laizhou"], rule_code="P-OBJ", started_on=dt.date(2026, 12, 28), label="TS-2026-0099 转送机构",
        org=orgs["laizhou"], owner=clerk_a,
    )  # fmt: skip
    run = send_reminders(dt.date(2026, 12, 31))
    assert run.skipped_reason == ""
    digest = next(d for d in run.digests if d.user == clerk_a)
    lines = [line for line in describe(run) if "TS-2026-0099" in line]
    assert lines and "暂定" in lines[0]
    assert any(label.startswith("TS-2026-0099") and provisional for label, _d, _b, provisional in digest.own)
    # From 1 October the administrators are told about 2027 every day.
    assert Notification.objects.filter(recipient=administrator, key="calendar-unverified:2026-12-31").exists()


def test_no_calendar_warning_before_the_warning_date(items, administrator):
    send_reminders(dt.date(2026, 9, 29))
    assert not Notification.objects.filter(recipient=administrator, key__startswith="calendar-unverified").exists()


def test_reminder_job_query_count_does_not_grow_with_items(
    orgs, clerk_a, clerk_b, supervisor, django_assert_num_queries
):
    send_reminders(dt.date(2025, 9, 29))  # warm the calendar cache
    others = [make_user(org=orgs["laizhou"], role=Role.CLERK) for _n in range(3)]
    for n, owner in enumerate([clerk_a, *others]):
        case = make_open_case(org=orgs["laizhou"], owner=owner, backup=clerk_b)
        open_item(case, dt.date(2025, 9, 20 + n))
    # years to verify (none before October); calendar revisions; deadlines; absences; supervisors; recipients;
    # already-sent keys; existing keys; savepoint, bulk insert, release.
    with django_assert_num_queries(11):
        send_reminders(TUESDAY)
    for owner in [clerk_a, *others]:
        for n in range(10):
            case = make_open_case(org=orgs["laizhou"], owner=owner, backup=clerk_b)
            open_item(case, dt.date(2025, 9, 10 + n))
    with django_assert_num_queries(11):
        send_reminders(dt.date(2025, 10, 9))
    assert Notification.objects.filter(key="reminder:2025-10-09").count() == 5


def test_the_morning_schedule_is_stored_in_django_celery_beat(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="每日期限提醒")
    assert task.task == "core.send_reminders" and task.enabled
    assert (task.crontab.minute, task.crontab.hour) == ("30", "8")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_a_long_digest_lists_the_first_items_and_counts_the_rest(orgs, clerk_a, monkeypatch):
    from core import reminders

    monkeypatch.setattr(reminders, "MAX_LINES", 2)
    case = make_open_case(org=orgs["laizhou"], owner=clerk_a)
    for day in range(20, 25):
        open_item(case, dt.date(2025, 9, day), label=f"事项{day}")
    send_reminders(TUESDAY)
    [digest] = _notes(clerk_a)
    assert "事项20" in digest.body and "事项21" in digest.body and "事项22" not in digest.body
    assert "另有 3 件" in digest.body
    assert "超期 5 件" in digest.title
