"""Workflow events notify the people who act next: an extension request the office's supervisors, its decision
the case's A and B, a reassignment the new A and B — in the app and by e-mail with an absolute link."""

import pytest
from django.core import mail
from django.urls import reverse

from complaints.services import case_reassign, extension_decide, extension_request, petition_accept
from core.models import Notification
from core.roles import Role
from tests.complaints.conftest import VALID_ID, VALID_PHONE
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PERSONAL = ("王小明", VALID_ID, VALID_PHONE, "文昌路", "调取录音")


@pytest.fixture
def emails(clerk_a, clerk_b, supervisor):
    for person in (clerk_a, clerk_b, supervisor):
        person.email = f"{person.username}@example.gov.cn"
        person.save(update_fields=["email"])


@pytest.fixture
def petition(register, clerk_a, frozen):
    case = register("petition")
    return petition_accept(actor=clerk_a, case=case, version=case.version, route="由消保科调查")


def request_extension(case, actor):
    return extension_request(actor=actor, case=case, version=case.version, days=30, reason="需调取录音")


def notices(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def assert_no_personal_data(*texts):
    for text in texts:
        for value in PERSONAL:
            assert value not in text, (value, text)


def test_an_extension_request_reaches_the_offices_supervisors_by_bell_and_mail(
    petition, clerk_a, clerk_b, supervisor, orgs, emails, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://xiaobao.example.gov.cn"
    second = make_user(org=orgs["laizhou"], role=Role.SUPERVISOR, username="sup2", name="第二负责人")
    elsewhere = make_user(org=orgs["zhaoyuan"], role=Role.SUPERVISOR, username="zy_sup")
    with django_capture_on_commit_callbacks(execute=True):
        request = request_extension(petition, clerk_a)
    for person in (supervisor, second):
        (notice,) = notices(person)
        assert notice.kind == "approval"
        assert notice.title == f"延期申请待审批：{petition.number}"
        assert notice.body == f"{petition.number} 的“出具信访处理意见书”期限申请延期 30 天，请在案件页审批。"
        assert notice.link == reverse("complaints:case_detail", args=[petition.pk]) + "#extensions"
        assert notice.key == f"complaints.extension_requested:{request.pk}"
    # Nobody else: not the requester, not B, not another sub-bureau's supervisor.
    assert notices(clerk_a) == notices(clerk_b) == notices(elsewhere) == []
    (message,) = mail.outbox  # the second supervisor has no address
    assert message.to == [supervisor.email]
    assert f"https://xiaobao.example.gov.cn/complaints/cases/{petition.pk}/#extensions" in message.body
    assert_no_personal_data(message.subject, message.body)


def test_an_approved_extension_reaches_a_and_b(petition, clerk_a, clerk_b, supervisor, emails):
    request = request_extension(petition, clerk_a)
    extension_decide(actor=supervisor, request=request, approve=True, note="同意")
    for person in (clerk_a, clerk_b):
        (notice,) = notices(person)
        assert notice.title == f"延期申请已批准：{petition.number}"
        assert notice.body == f"{petition.number} 的“出具信访处理意见书”期限延期 30 天，至 2026-06-08。"
        assert_no_personal_data(notice.title, notice.body)
    assert [n.kind for n in notices(supervisor)] == ["approval"]  # the request only, not the decision


def test_a_refused_extension_reaches_a_and_b(petition, clerk_a, clerk_b, supervisor):
    request = request_extension(petition, clerk_a)
    extension_decide(actor=supervisor, request=request, approve=False, note="理由不充分")
    for person in (clerk_a, clerk_b):
        (notice,) = notices(person)
        assert notice.title == f"延期申请未批准：{petition.number}" and notice.kind == "warning"
        assert "理由不充分" not in notice.body


def test_a_reassignment_reaches_the_new_a_and_b(petition, clerk_a, clerk_b, supervisor, orgs):
    clerk_c = make_user(org=orgs["laizhou"], role=Role.CLERK, username="clerk_c", name="王一鸣")
    case = case_reassign(
        actor=supervisor, case=petition, version=petition.version, owner=clerk_c, backup=clerk_b, reason="请假"
    )
    (notice,) = notices(clerk_c)
    assert notice.title == f"案件调整由您办理：{case.number}（A岗）"
    assert notice.link == reverse("complaints:case_detail", args=[case.pk])
    # B kept the post: nothing new for B; the old A and the supervisor who did it hear nothing either.
    assert notices(clerk_b) == notices(clerk_a) == notices(supervisor) == []
    case = case_reassign(
        actor=supervisor, case=case, version=case.version, owner=clerk_c, backup=clerk_a, reason="调整"
    )
    (notice,) = notices(clerk_a)
    assert notice.title == f"案件调整由您办理：{case.number}（B岗）"
    assert len(notices(clerk_c)) == 1


def test_e_mail_links_use_the_site_url_setting(clerk_a, settings, django_capture_on_commit_callbacks, emails):
    from core.services.notifications import notify

    settings.SITE_URL = "https://xiaobao.example.gov.cn"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=clerk_a, title="XF-2026-0001 书面答复即将到期", link="/complaints/cases/1/")
    assert "查看：https://xiaobao.example.gov.cn/complaints/cases/1/" in mail.outbox[0].body


def test_the_default_site_url_is_the_development_server():
    from django.conf import settings

    assert settings.SITE_URL == "http://127.0.0.1:8000"
