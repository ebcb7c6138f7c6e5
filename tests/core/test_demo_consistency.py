"""The demo data (seed_demo) is consistent: each case's status matches its flow diagram and its records, nothing has
happened after the moment of seeding, tasks fall due on working days, the list being compiled now exists, and the
mediation partners carry their real names."""

import contextlib
import datetime as dt
import io
import re
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test.utils import override_settings

from complaints.models import Case, Forwarding
from complaints.workflow import workflow_nodes
from core.models import Deadline, Notification, Task
from core.workcalendar import get_calendar
from institutions.models import QuarterlyList
from mediation.models import PartnerOrganisation

# One seeding serves the module: its tests share one xdist worker (`--dist loadgroup`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_consistency")]

# Monday morning: cases "received today" at a random office hour would lie in the future.
NOW = dt.datetime(2026, 6, 1, 9, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
# Date fields that are plans, limits or validity, not things that happened.
NOT_EVENTS = {
    "due_on",
    "valid_from",
    "valid_to",
    "end_on",
    "expires_at",
    "date",
    "scheduled_at",
    "paused_since",
    "retention_until",  # a filed case is kept until then
}

# The node the diagram shows as current for each open status (anonymous reports skip 告知举报人).
CURRENT = {
    ("petition", "registered"): "accept",
    ("petition", "accepted"): "handle",
    ("petition", "replied"): "deliver",
    ("report", "registered"): "materials",
    ("report", "materials_pending"): "materials",
    ("report", "accepted"): "investigate",
    ("report", "replied"): "notify",
    ("complaint", "registered"): "forward",
    ("complaint", "forwarded"): "acknowledge",
    ("complaint", "inst_acknowledged"): "reply",
    ("complaint", "inst_replied"): "follow_up",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        from django.db import transaction

        # One seeding for the module's tests, rolled back at the end.
        atomic = transaction.atomic()
        atomic.__enter__()
        # As `make run` has it: e-mails go to the console, where a new user reads the demo accounts.
        console = io.StringIO()
        console_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
        with console_mail, contextlib.redirect_stdout(console):
            call_command("seed_demo", "--cases", "120", "--force", stdout=console)
        yield console.getvalue()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_seeding_prints_the_accounts_without_e_mails_between_them(demo):
    from core.models import Notification

    assert "演示账号（密码均为" in demo and "lz_clerk_a" in demo
    assert "Subject:" not in demo and "Content-Type:" not in demo
    assert Notification.objects.exists()  # the demo's notifications are there, in the product


def test_status_matches_the_flow_diagram(demo):
    cases = list(Case.objects.prefetch_related("events"))
    assert len({c.status for c in cases}) >= 4  # open and closed cases of several kinds
    for case in cases:
        nodes = workflow_nodes(case, list(case.events.all()))
        states = {node.key: node.state for node in nodes}
        if case.is_open:
            expected = CURRENT[(case.case_type, case.status)]
            if expected == "notify" and case.is_anonymous:
                expected = "close"
            assert [n.key for n in nodes if n.state == "current"] == [expected], (case.number, case.status, states)
            current = [n.key for n in nodes].index(expected)
            assert all(n.state == "done" for n in nodes[:current]), (case.number, states)
        elif case.closure == "resolved":
            assert set(states.values()) == {"done"}, (case.number, states)
        else:
            assert states["register"] == states["close"] == "done"


def test_records_agree_with_the_status(demo):
    for case in Case.objects.filter(case_type="complaint").select_related("forwarding"):
        forwarding = Forwarding.objects.filter(case=case).first()
        if case.status in ("forwarded", "inst_acknowledged", "inst_replied"):
            assert forwarding is not None, case.number
            assert (forwarding.acknowledged_on is not None) == (case.status != "forwarded")
            assert (forwarding.replied_on is not None) == (case.status == "inst_replied")
        if case.status == "closed" and case.closure == "resolved":
            assert case.satisfaction in ("satisfied", "basically"), case.number
        if case.closure == "escalated":
            assert case.satisfaction == "dissatisfied"
        assert case.closure not in ("not_accepted", "not_our_remit"), "a complaint is forwarded, not refused"
    for case in Case.objects.exclude(case_type="complaint").filter(accepted_on__isnull=False):
        assert case.status in ("accepted", "replied") or case.closure == "resolved", case.number


def test_nothing_happened_after_the_moment_of_seeding(demo):
    late = []
    # The domain records and the office's deadlines and tasks (the work calendar and its audit entries are loaded
    # before, at the machine's own time; history rows record when they were written).
    domain = [
        m
        for app in ("complaints", "mediation", "institutions", "outreach")
        for m in apps.get_app_config(app).get_models()
    ]
    for model in [*domain, Deadline, Task, Notification]:
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.DateField) or field.name in NOT_EVENTS or "due" in field.name:
                continue
            limit = NOW if isinstance(field, models.DateTimeField) else TODAY
            count = model._default_manager.filter(**{f"{field.name}__gt": limit}).count()
            if count:
                late.append(f"{model.__name__}.{field.name}: {count}")
    assert late == [], "\n".join(late)


def test_tasks_fall_due_on_working_days(demo):
    calendar = get_calendar()
    tasks = list(Task.objects.all())
    assert tasks
    for task in tasks:
        assert calendar.is_working_day(task.due_on), (task.title, task.due_on)


def test_the_list_being_compiled_now_exists(demo):
    # In 2026Q2 the office compiles the list of 2026Q1 (drafted on the quarter's first working day).
    assert QuarterlyList.objects.filter(org__code="laizhou", year=2026, quarter=1).exists()


def test_the_associations_are_named_for_the_prefecture(demo):
    names = set(PartnerOrganisation.objects.values_list("name", flat=True))
    assert {"烟台市银行业协会", "烟台市保险行业协会"} <= names
    assert not any(name.startswith("莱州市") and "协会" in name for name in names)


def test_the_dashboard_summary_counts_the_seeded_deadlines(demo):
    """The demo's cases insert their deadlines in bulk, past the summary the dashboard reads; seed_demo counts it
    afresh at the end (`rebuild_deadline_counts`)."""
    from core.models import DeadlineDayCount
    from core.services.deadline_counts import count_differences

    assert Deadline.objects.open().exists() and DeadlineDayCount.objects.exists()
    assert count_differences() == []
    assert "看板汇总：已按在办期限重建" in demo


def test_investigated_reports_carry_their_finding_and_the_ledger_filter_lists_them(demo, client):
    """A new user picks each 举报查实情况 in the ledger's form: the demo's investigated reports are found under
    their finding (they once all had none, so every choice listed 0 cases)."""
    from core.models import User
    from tests.auth import sign_in
    from tests.complaints.test_ledger_form import URL, FormControls

    investigated = Case.objects.filter(case_type="report").filter(
        models.Q(status="replied") | models.Q(status="closed", closure="resolved")
    )
    assert investigated.exists()
    assert not investigated.filter(finding="").exists()
    clerk = User.objects.get(username="lz_clerk_a")
    sign_in(client, clerk)
    form = FormControls()
    form.feed(client.get(URL).content.decode())
    untouched = {**form.inputs, **{name: options[0][0] for name, options in form.selects.items()}}
    findings = [value for value, _label, _selected in form.selects["finding"] if value]
    assert findings == ["substantiated_any", "substantiated", "partly", "not_substantiated"]
    mine = Case.objects.filter(org=clerk.org, case_type="report")
    for finding in findings:
        page = client.get(URL, {**untouched, "finding": finding, "per_page": "200"}).content.decode()
        wanted = mine.filter(finding__in=("substantiated", "partly") if finding == "substantiated_any" else (finding,))
        listed = set(re.findall(r">((?:JB)-\d{4}-\d{4})<", page))
        assert listed == set(wanted.values_list("number", flat=True)), finding
    substantiated_any = set(mine.filter(finding__in=("substantiated", "partly")).values_list("number", flat=True))
    assert substantiated_any, "the demo office has substantiated reports to find"
