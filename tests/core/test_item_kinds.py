"""Every kind of dated item has a Chinese name and a link in my-work and the reminders."""

import pytest

from laizhou_xiaobao.dashboard.links import item_link
from laizhou_xiaobao.dashboard.selectors import item_kind_label

KINDS = [
    ("case:petition", "信访"),
    ("case:report", "举报"),
    ("case:complaint", "转办投诉"),
    ("case:step", "闭环环节"),
    ("core.task", "工作任务"),
    ("mediation", "纠纷调解"),
    ("institutions.interview.self_inspection", "约谈：机构自查"),
    ("institutions.rectification", "约谈：整改事项"),
    ("institutions.survey_follow_up", "专项调研：整改反馈"),
]


@pytest.mark.parametrize(("kind", "label"), KINDS)
def test_item_kinds_have_chinese_names(kind, label):
    assert item_kind_label(kind) == label


@pytest.mark.parametrize(
    ("model_label", "url"),
    [
        ("complaints.case", "/complaints/cases/7/"),
        ("complaints.casestep", "/complaints/steps/7/"),
        ("mediation.mediationcase", "/mediation/7/"),
        ("core.task", "/dashboard/tasks/7/"),
        ("institutions.interview", "/institutions/interviews/7/"),
    ],
)
def test_dated_items_link_to_their_pages(model_label, url):
    assert item_link(model_label, 7) == url


def test_a_step_link_opens_its_case_for_the_office_and_404s_for_outsiders(client_for, clerk_a, other_clerk):
    import time_machine

    from complaints.models import CaseStep
    from complaints.services import contact_register
    from tests.complaints.conftest import NOW

    with time_machine.travel(NOW, tick=False):
        contact = contact_register(
            actor=clerk_a,
            channel="phone",
            summary="理财产品收益争议",
            outcome="opened_case",
            case_type="petition",
            petition_kind="suggestion",
            name="王小明",
            phone="13812345678",
        )
    step = CaseStep.objects.create(case=contact.case, kind="opinion", owner=clerk_a, due_on=NOW.date())
    response = client_for(clerk_a).get(f"/complaints/steps/{step.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/complaints/cases/{contact.case.pk}/#steps"
    assert client_for(other_clerk).get(f"/complaints/steps/{step.pk}/").status_code == 404
