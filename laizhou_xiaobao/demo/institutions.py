"""Demo records for the institutions app: a survey, interviews at several stages, a list for a past quarter.
Idempotent: each part is created only when missing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.models import User
from institutions.models import Institution, Interview, QuarterlyList, Survey
from institutions.models.choices import RatingElement
from institutions.periods import previous_quarter, quarter_of
from institutions.reference_data import ensure_default_rules
from institutions.services import interviews as interview_services
from institutions.services.lists import item_decide, list_draft
from institutions.services.surveys import survey_add_finding, survey_create


@transaction.atomic
def seed(*, orgs, cases=None, stdout=None):
    ensure_default_rules()
    org = orgs["laizhou"]
    clerk = User.objects.filter(username="lz_clerk_a").first()
    supervisor = User.objects.filter(username="lz_supervisor").first()
    institutions = list(Institution.objects.filter(org=org, is_active=True).order_by("pk"))
    if clerk is None or supervisor is None or len(institutions) < 4:
        return
    today = timezone.localdate()
    _seed_survey(org, clerk, institutions, today)
    _seed_interviews(clerk, supervisor, institutions, today)
    # The list now being compiled is the last quarter's (the scheduled job drafts it on the quarter's first working
    # day), as a fresh draft; the one before it has its suggestions decided.
    current = previous_quarter(*quarter_of(today))
    for (year, quarter), decide in ((previous_quarter(*current), True), (current, False)):
        if QuarterlyList.objects.filter(org=org, year=year, quarter=quarter).exists():
            continue
        quarterly_list = list_draft(org=org, year=year, quarter=quarter, actor=clerk)
        if decide:
            for row in quarterly_list.rows.prefetch_related("items"):
                for item in row.items.all():
                    item_decide(actor=clerk, item=item, accept=item.polarity == "negative" or row.pk % 2 == 0)
        if stdout:
            stdout.write(f"机构：已起草 {quarterly_list.period_label} 正负面清单（草稿）")


def _seed_survey(org, clerk, institutions, today):
    if Survey.objects.filter(org=org).exists():
        return
    survey = survey_create(
        actor=clerk,
        org=org,
        title="理财产品销售适当性专项调研",
        theme="理财及代销保险产品的风险评估、双录和信息披露",
        scope="辖内银行机构营业网点，抽查2026年以来的理财销售记录",
        started_on=today - dt.timedelta(days=20),
        institutions=institutions[:4],
    )
    survey_add_finding(
        actor=clerk,
        survey=survey,
        institution=institutions[0],
        element=RatingElement.SUITABILITY,
        description="部分网点对老年客户风险评估流于形式，未按要求双录。",
        suggestion="开展适当性管理专项整改，完善双录抽检。",
        follow_up_due_on=today + dt.timedelta(days=30),
    )
    survey_add_finding(
        actor=clerk,
        survey=survey,
        institution=institutions[1],
        element=RatingElement.PERSONAL_INFO,
        description="客户信息查询授权留存不完整。",
        suggestion="规范个人信息查询授权管理。",
    )


def _seed_interviews(clerk, supervisor, institutions, today):
    if Interview.objects.filter(org=institutions[0].org).exists():
        return
    proposed = interview_services.interview_create(
        actor=clerk, institution=institutions[2], reason="本季度投诉量明显上升，且有转办投诉超期反馈。"
    )
    del proposed
    interview = interview_services.interview_create(
        actor=clerk, institution=institutions[0], reason="理财销售适当性问题集中，专项调研发现双录缺失。"
    )
    interview_services.interview_schedule(
        actor=clerk,
        interview=interview,
        scheduled_at=timezone.now() - dt.timedelta(days=10),
        attendees="行长、分管副行长、消保部门负责人；我局消保科",
        topics="适当性管理、老年客户服务、投诉处理时效",
        location="支局三楼会议室",
    )
    interview_services.interview_record_held(
        actor=clerk,
        interview=interview,
        held_on=today - dt.timedelta(days=10),
        record="机构负责人说明了近期投诉情况及原因，承诺全面自查。",
        issues_found="双录执行不到位；投诉处理超时。",
    )
    interview_services.interview_require_self_inspection(
        actor=clerk,
        interview=interview,
        scope="全辖理财及代销产品销售双录执行情况",
        due_on=today + dt.timedelta(days=15),
    )
