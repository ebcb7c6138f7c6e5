"""暴露一件、自查一批 (docs/domain.md「约谈督导」): an interview started — or a topic added to one not yet held —
from the case or survey finding that exposed the problem; the interview links back; the self-inspection names the
class of similar problems."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.models import Contact
from complaints.services import contact_register
from institutions.models import Interview, InterviewOrigin
from institutions.services import interviews as svc
from institutions.services.exposure import interview_add_topic_from
from institutions.services.surveys import survey_add_finding, survey_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def case(clerk_a, bank):
    contact = contact_register(
        actor=clerk_a,
        channel="visit",
        summary="理财产品销售未双录",
        outcome=Contact.Outcome.OPENED_CASE,
        case_type="complaint",
        name="王小明",
        phone="13812345678",
        institution=bank,
    )
    return contact.case


def case_url(case):
    return reverse("complaints:case_detail", args=[case.pk])


def exposure_data(client, case, **overrides):
    html = client.get(case_url(case)).content.decode()
    block = html[html.index('data-panel="interview_from_case"') :]
    data = {
        "version": re.search(r'name="version" value="(\d+)"', block).group(1),
        "interview": "",
        "topic": "向老年客户销售高风险理财未录音录像",
        "similar_class": "2025年以来所有面向65岁以上客户的理财销售的双录情况",
    }
    data.update(overrides)
    return data


def test_start_an_interview_from_the_case_and_it_links_back(client_for, clerk_a, case, bank):
    client = client_for(clerk_a)
    response = client.post(reverse("complaints:interview_from_case", args=[case.pk]), exposure_data(client, case))
    interview = Interview.objects.get()
    assert response["Location"] == reverse("institutions:interview_detail", args=[interview.pk])
    assert (interview.institution, interview.status, interview.source) == (bank, "proposed", "manual")
    assert case.number in interview.reason and "向老年客户销售高风险理财未录音录像" in interview.topics
    origin = InterviewOrigin.objects.get()
    assert (origin.object_id, origin.label, origin.link) == (case.pk, f"{case.number} 转办投诉", case_url(case))

    # The interview page links back to the case; the case page lists the interview.
    html = client.get(response["Location"]).content.decode()
    assert f'href="{case_url(case)}"' in html and "65岁以上客户" in html
    assert "王小明" not in html
    html = client.get(case_url(case)).content.decode()
    assert reverse("institutions:interview_detail", args=[interview.pk]) in html

    # Scheduling keeps the topic; the self-inspection request is prefilled with the class of similar problems.
    svc.interview_schedule(
        actor=clerk_a, interview=interview, scheduled_at=timezone.now(), attendees="行长", topics=interview.topics
    )
    svc.interview_record_held(
        actor=clerk_a, interview=interview, held_on=dt.date(2026, 10, 12), record="r", issues_found="i"
    )
    html = client.get(response["Location"]).content.decode()
    scope = re.search(r'<textarea name="self_inspection-scope"[^>]*>([^<]*)</textarea>', html).group(1)
    assert "同类问题：2025年以来所有面向65岁以上客户的理财销售的双录情况" in scope


def test_add_the_case_as_a_topic_of_a_scheduled_interview(client_for, clerk_a, case, bank):
    interview = svc.interview_create(actor=clerk_a, institution=bank, reason="季度投诉量上升")
    svc.interview_schedule(
        actor=clerk_a, interview=interview, scheduled_at=timezone.now(), attendees="行长", topics="投诉处理时效"
    )
    client = client_for(clerk_a)
    data = exposure_data(client, case, interview=str(interview.pk))
    client.post(reverse("complaints:interview_from_case", args=[case.pk]), data)
    interview.refresh_from_db()
    assert interview.topics.startswith("投诉处理时效\n") and case.number in interview.topics
    assert Interview.objects.count() == 1 and interview.origins.get().object_id == case.pk

    # The same case twice is refused; an interview already held takes no topic.
    response = client.post(reverse("complaints:interview_from_case", args=[case.pk]), data, follow=True)
    assert "已是这次约谈的议题" in response.content.decode()
    assert InterviewOrigin.objects.count() == 1
    svc.interview_record_held(
        actor=clerk_a, interview=interview, held_on=dt.date(2026, 10, 12), record="r", issues_found="i"
    )
    with pytest.raises(ValidationError, match="该约谈已进行"):
        interview_add_topic_from(
            actor=clerk_a,
            interview=interview,
            origin=bank,
            label="x",
            link="",
            topic="t",
            similar_class="c",
            institution=bank,
        )
    assert InterviewOrigin.objects.count() == 1


def test_refusals_change_nothing(client_for, clerk_a, other_clerk, case):
    client = client_for(clerk_a)
    data = exposure_data(client, case)
    url = reverse("complaints:interview_from_case", args=[case.pk])
    assert client_for(other_clerk).post(url, data).status_code == 404
    response = client_for(clerk_a).post(url, {**data, "similar_class": " "}, follow=True)
    assert "此字段是必填项" in response.content.decode() or "同类问题范围" in response.content.decode()
    assert not Interview.objects.exists() and not InterviewOrigin.objects.exists()


def test_start_an_interview_from_a_survey_finding(client_for, clerk_a, orgs, bank):
    survey = survey_create(
        actor=clerk_a,
        org=orgs["laizhou"],
        title="理财销售适当性专项调研",
        theme="双录",
        scope="",
        started_on=dt.date(2026, 9, 1),
        institutions=[bank],
    )
    finding = survey_add_finding(
        actor=clerk_a, survey=survey, institution=bank, element="suitability", description="老年客户风险评估流于形式"
    )
    client = client_for(clerk_a)
    survey_url = reverse("institutions:survey_detail", args=[survey.pk])
    html = client.get(survey_url).content.decode()
    assert f'data-action="finding-interview-{finding.pk}"' in html
    response = client.post(
        reverse("institutions:survey_finding_interview", args=[survey.pk, finding.pk]),
        {"ex-interview": "", "ex-topic": finding.description, "ex-similar_class": "全部网点的老年客户风险评估"},
    )
    interview = Interview.objects.get()
    assert response["Location"] == reverse("institutions:interview_detail", args=[interview.pk])
    origin = interview.origins.get()
    assert origin.object_id == finding.pk and origin.link == survey_url and "理财销售适当性专项调研" in origin.label
    assert f'data-testid="finding-interview-{finding.pk}"' in client.get(survey_url).content.decode()
