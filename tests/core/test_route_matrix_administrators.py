"""三员分立 in the permission matrix: the 系统管理员, the 安全管理员 and the 审计管理员 against every admin and
audit URL and the office's record pages (README「安全」). The other personas are in test_route_matrix.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.auth import sign_in
from tests.core.test_route_matrix import ADMIN_OPEN, ROUTES, _outcome, admin_routes, concrete_admin_path

# --- 三员分立: the three administrators against every admin and audit URL -------------------------------

ADMINISTRATORS = {"sysadm": "system_admin", "secadm": "security_admin", "audadm": "audit_admin"}

# The audit pages for the three administrators (the other personas are in ROUTES).
AUDIT_ROUTES = {
    "core:audit_log": {"sysadm": 403, "secadm": 403, "audadm": 200},
    "core:audit_export": {"sysadm": 403, "secadm": 403, "audadm": 200},
}

# Every administrator opens the admin index and changes their own password.
ADMIN_COMMON = {"admin:index", "admin:password_change", "admin:password_change_done", "admin:jsi18n"}
# The admin lists and forms each one opens (200); every other one answers 403.
# fmt: off
ADMIN_PAGES = {
    # Accounts, organisation and reference data, schedules; never the audit log, groups or sign-in records.
    "sysadm": {
        "admin:core_user_changelist", "admin:core_user_add",
        "admin:core_orgunit_changelist", "admin:core_orgunit_add",
        "admin:core_absence_changelist", "admin:core_absence_add",
        "admin:core_category_changelist", "admin:core_category_add",
        "admin:core_deadlinerule_changelist",
        "admin:core_workcalendaryear_changelist", "admin:core_workcalendarday_changelist",
        "admin:core_task_changelist", "admin:core_notification_changelist",
        "admin:django_celery_beat_periodictask_changelist",
        "admin:django_celery_beat_crontabschedule_changelist", "admin:django_celery_beat_crontabschedule_add",
        "admin:institutions_institution_changelist", "admin:institutions_institution_add",
        "admin:institutions_interviewtriggerrule_changelist", "admin:institutions_interviewtriggerrule_add",
        "admin:institutions_listsuggestionrule_changelist", "admin:institutions_listsuggestionrule_add",
        "admin:institutions_interview_changelist", "admin:institutions_quarterlylist_changelist",
        "admin:institutions_survey_changelist",
        "admin:mediation_partnerorganisation_changelist", "admin:mediation_partnerorganisation_add",
        "admin:mediation_mediator_changelist", "admin:mediation_mediator_add",
        "admin:mediation_mediationcase_changelist",
        "admin:outreach_brand_changelist", "admin:outreach_brand_add",
        "admin:outreach_campaign_changelist", "admin:outreach_campaign_add",
        "admin:outreach_topic_changelist", "admin:outreach_topic_add",
        "admin:outreach_targetgroup_changelist", "admin:outreach_targetgroup_add",
        "admin:outreach_venuetype_changelist", "admin:outreach_venuetype_add",
        "admin:outreach_trainingseries_changelist", "admin:outreach_trainingseries_add",
        "admin:outreach_gridcell_changelist", "admin:outreach_gridcell_add",
        "admin:outreach_event_changelist", "admin:outreach_mediawork_changelist",
        "admin:outreach_trainingsession_changelist",
    },
    # Roles (groups) and who holds them (the user list, read-only but for the roles), sign-in security.
    "secadm": {
        "admin:auth_group_changelist", "admin:auth_group_add",
        "admin:core_user_changelist", "admin:core_orgunit_changelist",
        "admin:axes_accessattempt_changelist", "admin:axes_accesslog_changelist",
        "admin:axes_accessfailurelog_changelist",
    },
    # The audit log and its archive register, read-only.
    "audadm": {"admin:core_auditentry_changelist", "admin:core_auditarchive_changelist"},
}
# fmt: on


@pytest.fixture
def administrators(request, orgs):
    return {persona: request.getfixturevalue(name) for persona, name in ADMINISTRATORS.items()}


@pytest.mark.parametrize("persona", list(ADMINISTRATORS))
def test_each_administrator_opens_only_their_own_admin_pages(persona, administrators):
    client = Client()
    sign_in(client, administrators[persona])
    allowed = ADMIN_COMMON | ADMIN_PAGES[persona]
    wrong, walked = [], set()
    for name, route in admin_routes():
        if name is None or "<" in route or "(" in route or name in ADMIN_OPEN:
            continue
        walked.add(name)
        status = client.get(concrete_admin_path(route)).status_code
        expected = 200 if name in allowed else 403
        if status != expected:
            wrong.append(f"{name}: 应为 {expected}，实为 {status}")
    assert not wrong, "\n".join(wrong)
    assert allowed <= walked, f"不存在的后台页面：{sorted(allowed - walked)}"


@pytest.mark.parametrize("persona", list(ADMINISTRATORS))
def test_each_administrator_on_the_audit_pages(persona, administrators, client):
    sign_in(client, administrators[persona])
    for name, expected in AUDIT_ROUTES.items():
        assert _outcome(client.get(reverse(name))) == expected[persona], name
    assert set(AUDIT_ROUTES) == {name for name in ROUTES if name.startswith("core:audit")}


# Record pages: an audit entry (view, history, delete), another person's account, their password, a group.
# fmt: off
RECORD_PAGES = {
    #                                         sysadm secadm audadm superuser
    ("admin:core_auditentry_change", "entry"): (403, 403, 200, 403),
    ("admin:core_auditentry_history", "entry"): (403, 403, 200, 403),
    ("admin:core_auditentry_delete", "entry"): (403, 403, 403, 403),
    ("admin:core_user_change", "person"): (200, 200, 403, 200),
    ("admin:auth_user_password_change", "person"): (200, 403, 403, 200),
    ("admin:core_user_delete", "person"): (403, 403, 403, 200),
    ("admin:auth_group_change", "group"): (403, 200, 403, 200),
}
# fmt: on


def test_each_administrator_on_record_pages(administrators, administrator, clerk_a):
    from django.contrib.auth.models import Group

    from core.roles import GROUP_NAMES
    from core.services.audit import log_action

    records = {
        "entry": log_action(actor=clerk_a, action="core.test.recorded"),
        "person": clerk_a,
        "group": Group.objects.get(name=GROUP_NAMES[Role.CLERK]),
    }
    users = [*administrators.values(), administrator]
    wrong = []
    for (name, record), expected in RECORD_PAGES.items():
        url = reverse(name, args=[records[record].pk])
        for user, status in zip(users, expected, strict=True):
            client = Client()
            sign_in(client, user)
            got = client.get(url).status_code
            if got != status:
                wrong.append(f"{name} {user.username}: 应为 {status}，实为 {got}")
    assert not wrong, "\n".join(wrong)
