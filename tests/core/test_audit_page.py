"""The 审计管理员's audit log page: filters by time, actor, action and target, and the Excel export
(README 安全审计)."""

import datetime as dt
import io
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from core.models import AuditEntry
from core.services.audit import log_action

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def logged(clerk_a, supervisor, orgs):
    """Three entries on two days by two people, one of them about the 莱州 unit."""
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=TZ), tick=False):
        log_action(actor=clerk_a, action="complaints.case.extended", note="一")
    with time_machine.travel(dt.datetime(2026, 3, 10, 23, 30, tzinfo=TZ), tick=False):
        log_action(actor=supervisor, action="complaints.case.accepted", note="二")
        log_action(actor=clerk_a, action="outreach.figures.exported", target=orgs["laizhou"], note="三")
    return orgs["laizhou"]


def notes(response) -> list[str]:
    return [entry.data.get("note") for entry in response.context["page"] if entry.data.get("note")]


def test_the_audit_administrator_filters_the_log(client_for, audit_admin, logged, clerk_a):
    client = client_for(audit_admin)
    url = reverse("core:audit_log")
    assert notes(client.get(url, {"start": "2026-03-10", "end": "2026-03-10"})) == ["三", "二"]
    assert notes(client.get(url, {"actor": "林晓岚"})) == ["三", "一"]
    assert notes(client.get(url, {"actor": clerk_a.username, "action": "complaints."})) == ["一"]
    content_type = AuditEntry.objects.get(data__note="三").content_type_id
    assert notes(client.get(url, {"target_type": content_type, "target_id": logged.pk})) == ["三"]


def test_a_reversed_period_is_refused_with_a_message(client_for, audit_admin, logged):
    response = client_for(audit_admin).get(reverse("core:audit_log"), {"start": "2026-03-11", "end": "2026-03-01"})
    assert "起始日期不能晚于截止日期" in response.content.decode()
    assert list(response.context["page"]) == []


def test_the_list_query_count_does_not_grow_with_the_page(
    client_for, audit_admin, logged, django_assert_max_num_queries
):
    client = client_for(audit_admin)
    for n in range(30):
        log_action(actor=audit_admin, action="core.test.recorded", number=n)
    # At most 11 queries however many rows: the session, the user, the user's roles and permissions, the
    # navigation's notification count and calendar check, the filter's object types, the page's count and its rows
    # (actor, unit and object type joined in).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("core:audit_log"), {"action": "core.test."})
    assert len(response.context["page"]) == 30


def test_the_export_holds_the_filtered_entries_and_is_itself_logged(client_for, audit_admin, logged):
    response = client_for(audit_admin).get(reverse("core:audit_export"), {"action": "complaints."})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert [row[5] for row in rows] == ["complaints.case.accepted", "complaints.case.extended"]
    assert rows[0][2] == "孙海涛" and '"note": "二"' in rows[0][9] and len(rows[0][10]) == 64
    entry = AuditEntry.objects.get(action="core.audit.exported")
    assert entry.actor == audit_admin and entry.data["rows"] == 2 and "complaints." in entry.data["filters"]
