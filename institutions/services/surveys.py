"""Special surveys (专项调研): institutions covered, findings, suggestions issued and follow-up due dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services.audit import log_action
from core.services.deadlines import deadline_complete, deadline_open_custom

from ..models import Survey, SurveyFinding
from .common import require_staff


@transaction.atomic
def survey_create(*, actor, org, title: str, theme: str, scope: str, started_on: dt.date, institutions) -> Survey:
    require_staff(actor, org)
    institutions = list(institutions)
    if any(not inst.org.is_within(org) for inst in institutions):
        raise ValidationError(_("调研机构必须是本单位监管的机构。"))
    survey = Survey(org=org, title=title, theme=theme, scope=scope, started_on=started_on, created_by=actor)
    survey._change_reason = _("创建专项调研")
    survey.save()
    survey.institutions.set(institutions)
    log_action(actor=actor, action="institutions.survey.created", target=survey)
    return survey


@transaction.atomic
def survey_add_finding(
    *,
    actor,
    survey: Survey,
    institution,
    element: str,
    description: str,
    suggestion: str = "",
    follow_up_due_on: dt.date | None = None,
) -> SurveyFinding:
    """Record a finding; a follow-up due date opens a deadline that feeds the dashboard and reminders."""
    require_staff(actor, survey.org)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("调研已结束，不能再登记发现。"))
    if not survey.institutions.filter(pk=institution.pk).exists():
        raise ValidationError(_("机构“%(inst)s”不在本次调研范围内。") % {"inst": institution})
    if follow_up_due_on and follow_up_due_on < timezone.localdate():
        raise ValidationError(_("整改反馈期限不能早于今天。"))
    finding = SurveyFinding(
        survey=survey,
        institution=institution,
        element=element,
        description=description,
        suggestion=suggestion,
        follow_up_due_on=follow_up_due_on,
    )
    finding._change_reason = _("登记调研发现")
    finding.save()
    if follow_up_due_on:
        finding.deadline = deadline_open_custom(
            item=finding,
            due_on=follow_up_due_on,
            label=_("调研整改反馈：%(inst)s") % {"inst": institution.short_name},
            org=survey.org,
            owner=survey.created_by,
            backup=survey.created_by.backup,
            institution_id=institution.pk,
            item_kind="institutions.survey_follow_up",
        )
        finding.save(update_fields=["deadline"])
    log_action(actor=actor, action="institutions.survey.finding_added", target=survey, finding=finding.pk)
    return finding


@transaction.atomic
def survey_record_follow_up(*, actor, finding: SurveyFinding, done_on: dt.date, note: str) -> SurveyFinding:
    require_staff(actor, finding.survey.org)
    if finding.follow_up_done_on:
        raise ValidationError(_("该发现的整改反馈已登记。"))
    if not note.strip():
        raise ValidationError(_("请填写整改反馈情况。"))
    finding.follow_up_done_on = done_on
    finding.follow_up_note = note
    finding._change_reason = _("登记整改反馈")
    finding.save(update_fields=["follow_up_done_on", "follow_up_note"])
    if finding.deadline_id:
        deadline_complete(deadline=finding.deadline, completed_on=done_on)
    return finding


@transaction.atomic
def survey_close(*, actor, survey: Survey) -> Survey:
    require_staff(actor, survey.org)
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("调研已结束。"))
    survey.status = Survey.Status.CLOSED
    survey.ended_on = timezone.localdate()
    survey._change_reason = _("结束调研")
    survey.save(update_fields=["status", "ended_on"])
    log_action(actor=actor, action="institutions.survey.closed", target=survey)
    return survey
