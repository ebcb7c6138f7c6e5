"""Surveys: findings with follow-up due dates, findings turned into list items; the demo seed is idempotent."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.models import Deadline
from institutions.models import Interview, ListItem, QuarterlyList, Survey
from institutions.services.lists import finding_to_item, list_draft
from institutions.services.surveys import survey_add_finding, survey_close, survey_create, survey_record_follow_up


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def survey(orgs, clerk_a, bank):
    return survey_create(
        actor=clerk_a,
        org=orgs["laizhou"],
        title="理财销售适当性专项调研",
        theme="双录",
        scope="",
        started_on=dt.date(2026, 9, 1),
        institutions=[bank],
    )


def test_survey_only_covers_own_institutions(orgs, clerk_a, zy_bank):
    with pytest.raises(ValidationError, match="本单位监管"):
        survey_create(
            actor=clerk_a,
            org=orgs["laizhou"],
            title="t",
            theme="t",
            scope="",
            started_on=dt.date(2026, 9, 1),
            institutions=[zy_bank],
        )


def test_finding_with_follow_up_opens_and_completes_a_deadline(survey, clerk_a, bank, insurer):
    with pytest.raises(ValidationError, match="不在本次调研范围"):
        survey_add_finding(actor=clerk_a, survey=survey, institution=insurer, element="suitability", description="d")
    finding = survey_add_finding(
        actor=clerk_a,
        survey=survey,
        institution=bank,
        element="suitability",
        description="老年客户风险评估流于形式",
        suggestion="开展整改",
        follow_up_due_on=dt.date(2026, 11, 30),
    )
    assert (finding.deadline.due_on, finding.deadline.institution_id) == (dt.date(2026, 11, 30), bank.pk)
    survey_record_follow_up(actor=clerk_a, finding=finding, done_on=dt.date(2026, 11, 20), note="已整改")
    assert Deadline.objects.get(pk=finding.deadline_id).status == Deadline.Status.DONE
    survey_close(actor=clerk_a, survey=survey)
    with pytest.raises(ValidationError, match="已结束"):
        survey_add_finding(actor=clerk_a, survey=survey, institution=bank, element="service", description="d")


def test_finding_becomes_a_negative_list_item_once(survey, clerk_a, bank, orgs):
    finding = survey_add_finding(
        actor=clerk_a, survey=survey, institution=bank, element="suitability", description="双录缺失"
    )
    quarterly_list = list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)
    item = finding_to_item(actor=clerk_a, finding=finding, quarterly_list=quarterly_list)
    assert (item.polarity, item.element, item.source, item.state) == ("negative", "suitability", "survey", "accepted")
    assert item.evidence == [{"kind": "survey", "id": survey.pk, "label": survey.title}]
    assert item.row.assessment == "negative"
    with pytest.raises(ValidationError, match="已列入"):
        finding_to_item(actor=clerk_a, finding=finding, quarterly_list=quarterly_list)


def test_survey_pages(client_for, clerk_a, other_clerk, survey, bank, orgs):
    client = client_for(clerk_a)
    response = client.post(
        f"/institutions/surveys/{survey.pk}/findings/",
        {"institution": bank.pk, "element": "service", "description": "服务台账缺失", "suggestion": ""},
    )
    assert response.status_code == 302
    assert survey.findings.count() == 1
    assert "服务台账缺失" in client.get(f"/institutions/surveys/{survey.pk}/").content.decode()
    assert client_for(other_clerk).get(f"/institutions/surveys/{survey.pk}/").status_code == 404


def test_demo_seed_is_idempotent(base_data):
    from django.core.management import call_command

    call_command("seed_demo", "--cases", "30", "--force")
    counts = (
        Survey.objects.count(),
        Interview.objects.count(),
        QuarterlyList.objects.count(),
        ListItem.objects.count(),
    )
    assert counts[0] == 1 and counts[1] == 2 and counts[2] == 2  # the quarter being compiled and the one before
    call_command("seed_demo", "--cases", "30", "--force")
    assert (
        Survey.objects.count(),
        Interview.objects.count(),
        QuarterlyList.objects.count(),
        ListItem.objects.count(),
    ) == counts
