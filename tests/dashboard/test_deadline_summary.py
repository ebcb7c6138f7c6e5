"""The dashboard's buckets read the summary of open deadlines (core.DeadlineDayCount, docs/architecture.md
「看板汇总表」): every change of a deadline moves its count in the same transaction, and after each one the summary
equals the direct aggregate over core.Deadline; `rebuild_deadline_counts` repairs a table that went wrong."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from core.models import Deadline, DeadlineDayCount, WorkCalendarDay
from core.services.deadline_counts import count_differences
from core.services.deadlines import (
    deadline_cancel,
    deadline_complete,
    deadline_extend,
    deadline_open,
    deadline_pause,
    deadline_reassign,
    deadline_resume,
)
from core.services.tasks import task_complete, task_create, task_deadline, task_fingerprint
from laizhou_xiaobao.dashboard import selectors
from tests.dashboard.conftest import bucket_totals, open_item, summary_groups
from tests.factories import at, make_open_case

pytestmark = pytest.mark.django_db

# 2025 National Day: due soon (3 working days) from Tuesday 09-30 runs to Saturday 10-11 (调休上班).
TUESDAY = dt.date(2025, 9, 30)


def totals(office, today=TUESDAY) -> dict[str, int]:
    return bucket_totals(summary_groups([office], today))


@pytest.fixture
def case(orgs, clerk_a, clerk_b, institution):
    with at(TUESDAY, 9):
        return make_open_case(
            org=orgs["laizhou"], owner=clerk_a, backup=clerk_b, institution=institution, received_on=dt.date(2025, 8, 1)
        )


def test_every_change_of_a_deadline_moves_its_count(orgs, case, clerk_a, clerk_b, supervisor):
    office = orgs["laizhou"]
    with at(TUESDAY, 9):
        # P-REPLY: 60 calendar days from 08-01, due today.
        ruled = deadline_open(
            item=case,
            rule_code="P-REPLY",
            started_on=dt.date(2025, 8, 1),
            label=f"{case.number} 书面答复",
            org=office,
            owner=clerk_a,
            backup=clerk_b,
            institution_id=case.institution_id,
            item_kind="case:petition",
        )
        late = open_item(case, dt.date(2025, 9, 26))
        later = open_item(case, dt.date(2025, 11, 3))
        assert totals(office) == {"overdue": 1, "today": 1, "soon": 0, "on_time": 1, "paused": 0, "provisional": 0}

        deadline_extend(deadline=ruled, days=10, actor=supervisor, reason="案情复杂")  # to 10-10: due soon
        assert totals(office)["today"] == 0 and totals(office)["soon"] == 1

        deadline_pause(deadline=late, start_on=dt.date(2025, 9, 20), reason="等待补充材料", actor=clerk_a)
        assert totals(office)["overdue"] == 0 and totals(office)["paused"] == 1

        deadline_resume(deadline=late, end_on=dt.date(2025, 9, 29), actor=clerk_a)
        assert totals(office)["paused"] == 0

        deadline_reassign(deadline=later, owner=clerk_b, backup=clerk_a)
        groups = summary_groups([office], TUESDAY)
        assert {(g["owner_id"], g["backup_id"]) for g in groups} == {(clerk_a.pk, clerk_b.pk), (clerk_b.pk, clerk_a.pk)}

        deadline_complete(deadline=ruled, completed_on=TUESDAY)
        deadline_cancel(deadline=later, reason="撤回")
        assert sum(totals(office).values()) == 1

        late.refresh_from_db()
        deadline_complete(deadline=late, completed_on=TUESDAY)
        assert totals(office) == dict.fromkeys(("overdue", "today", "soon", "on_time", "paused", "provisional"), 0)
    # A row whose count reaches 0 is deleted: nothing open, nothing in the table.
    assert not DeadlineDayCount.objects.exists()


def test_a_stale_deadline_moves_the_count_it_is_stored_under(orgs, case, clerk_a, clerk_b, supervisor):
    """The old key is read from the database under a row lock, not from the instance the caller holds."""
    with at(TUESDAY, 9):
        deadline = open_item(case, dt.date(2025, 9, 29))
        stale = Deadline.objects.get(pk=deadline.pk)
        deadline_pause(deadline=deadline, start_on=dt.date(2025, 9, 20), reason="等待补充材料", actor=clerk_a)
        # `stale` still says running; the stored row is paused, and stays counted as paused under its new A/B.
        deadline_reassign(deadline=stale, owner=clerk_b, backup=None)
        groups = summary_groups([orgs["laizhou"]], TUESDAY)
    assert [(g["owner_id"], g["backup_id"], g["paused"], g["overdue"]) for g in groups] == [(clerk_b.pk, None, 1, 0)]


def test_a_change_rolled_back_leaves_the_summary_as_it_was(orgs, case):
    with at(TUESDAY, 9):
        deadline = open_item(case, dt.date(2025, 9, 29))
        with pytest.raises(RuntimeError), transaction.atomic():
            deadline_complete(deadline=deadline, completed_on=TUESDAY)
            raise RuntimeError("the caller's next step fails")
        assert totals(orgs["laizhou"])["overdue"] == 1


def test_a_supervisor_edits_and_reassigns_a_task_and_its_count_follows(orgs, supervisor, clerk_a, clerk_b, client_for):
    office = orgs["laizhou"]
    with at(TUESDAY, 9):
        task = task_create(actor=supervisor, org=office, title="报送季度消保工作总结", owner=clerk_a, due_on=TUESDAY)
        assert totals(office)["today"] == 1
        client = client_for(supervisor)
        response = client.post(
            reverse("dashboard:task_edit", args=[task.pk]),
            {
                "title": task.title,
                "requirement": "",
                "owner": clerk_b.pk,
                "backup": clerk_a.pk,
                "due_on": "2025-10-20",
                "recurrence": task.recurrence,
                "fingerprint": task_fingerprint(task),
            },
        )
        assert response.status_code == 302
        groups = summary_groups([office], TUESDAY)
        assert [(g["owner_id"], g["backup_id"], g["item_kind"], g["on_time"]) for g in groups] == [
            (clerk_b.pk, clerk_a.pk, "core.task", 1)
        ]
        # The board shows it under B's name now (B is the task's new A).
        board = client.get(reverse("dashboard:board"))
        office_figures = board.context["offices"][0]["figures"]
        assert [(row.key, row.counts.on_time) for row in office_figures.by_handler] == [(clerk_b.pk, 1)]

        task.refresh_from_db()
        task_complete(actor=clerk_b, task=task, note="已报送", on=TUESDAY)
        assert task_deadline(task) is None
        assert sum(totals(office).values()) == 0


def test_a_calendar_correction_moves_the_counts_of_the_deadlines_it_recomputes(orgs, administrator, client_for):
    office = orgs["laizhou"]
    # P-OBJ: 5 working days from Wednesday 2026-05-27, due 06-03; 06-01 made a holiday moves it to 06-04.
    deadline_open(
        item=office, rule_code="P-OBJ", started_on=dt.date(2026, 5, 27), label="TS-2026-0007 转办", org=office
    )
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    with at("2026-06-03", 9):
        assert totals(office, dt.date(2026, 6, 3))["today"] == 1
        response = client_for(administrator).post(
            reverse("admin:core_workcalendarday_correct", args=[day.pk]),
            {
                "is_working_day": "",
                "kind": "holiday",
                "note": "示例更正",
                "source_notice": "国办发明电示例",
                "_confirm": "1",
            },
            follow=True,
        )
        assert "1 个未结期限已重新计算" in response.content.decode()
        after = totals(office, dt.date(2026, 6, 3))
    assert (after["today"], after["soon"]) == (0, 1)
    assert DeadlineDayCount.objects.get().due_on == dt.date(2026, 6, 4)


def test_rebuild_repairs_a_corrupted_summary(orgs, case, clerk_a):
    office = orgs["laizhou"]
    with at(TUESDAY, 9):
        for due in ("2025-09-26", "2025-09-30", "2025-10-09", "2025-11-03"):
            open_item(case, dt.date.fromisoformat(due))
        right = summary_groups([office], TUESDAY)
        # Corrupted on purpose, as a hand edit or a bulk insert past the services would leave it.
        first = DeadlineDayCount.objects.order_by("due_on").first()
        first.count = 5
        first.save(update_fields=["count"])
        DeadlineDayCount.objects.filter(due_on=dt.date(2025, 11, 3)).delete()
        DeadlineDayCount.objects.create(org=office, item_kind="case:report", due_on=TUESDAY, count=2)
        assert len(count_differences()) == 3
        horizon = selectors.make_horizon(TUESDAY, 3)
        assert selectors.deadline_groups([office.pk], horizon) != selectors.deadline_groups_direct([office.pk], horizon)

        with pytest.raises(CommandError, match="有 3 处与期限不一致"):
            call_command("rebuild_deadline_counts", "--check")
        assert len(count_differences()) == 3  # --check changes nothing

        call_command("rebuild_deadline_counts")
        assert summary_groups([office], TUESDAY) == right
        call_command("rebuild_deadline_counts", "--check")


def test_rebuild_reports_what_it_fixed(orgs, case, capsys):
    with at(TUESDAY, 9):
        open_item(case, dt.date(2025, 9, 26))
    DeadlineDayCount.objects.all().delete()
    call_command("rebuild_deadline_counts")
    out = capsys.readouterr().out
    assert "A岗" in out and "汇总 0，实有 1" in out and "已重建在办期限汇总表（修正了 1 处）" in out
    call_command("rebuild_deadline_counts")
    assert "原表无误" in capsys.readouterr().out
