"""The quarterly positive/negative list (docs/domain.md, "正负面清单").

Drafting with suggestions from the data, the items staff accept, edit or reject, and the workflow
draft → submitted → approved → frozen at the branch.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.replica import replica_reads
from core.services.audit import log_action
from core.services.report_files import require_files_ready

from ..models import ListItem, ListRow, ListSuggestionRule, QuarterlyList, SurveyFinding
from ..models.choices import Assessment, Polarity
from ..periods import Period, quarter_period
from .common import require_staff, require_supervisor
from .suggestions import list_evidence, quarter_figures, suggest_items

S = QuarterlyList.Status


def _save_item(item: ListItem, reason: str, fields: list[str] | None = None) -> None:
    item._change_reason = reason
    item.save(update_fields=fields) if fields else item.save()


def _require_editable(quarterly_list: QuarterlyList) -> None:
    if quarterly_list.is_frozen:
        raise ValidationError(_("清单已报送分局并锁定，不能修改；如需更正，请由负责人编制新版本并说明原因。"))
    if not quarterly_list.is_editable:
        raise ValidationError(
            _("清单当前状态为“%(s)s”，只有草稿可以修改。") % {"s": quarterly_list.get_status_display()}
        )


def _auto_assessment(row: ListRow) -> None:
    if row.assessment_by_hand:
        return
    states = (ListItem.State.ACCEPTED,)
    polarities = {item.polarity for item in row.items.all() if item.state in states}
    if Polarity.NEGATIVE in polarities:
        assessment = Assessment.NEGATIVE
    elif Polarity.POSITIVE in polarities:
        assessment = Assessment.POSITIVE
    else:
        assessment = Assessment.NEUTRAL
    if assessment != row.assessment:
        row.assessment = assessment
        row._change_reason = _("按已采纳事项更新评价")
        row.save(update_fields=["assessment"])


# --- Drafting ----------------------------------------------------------------------------------------


@transaction.atomic
def list_draft(*, org, year: int, quarter: int, actor=None) -> QuarterlyList:
    """Draft the list of `org` for the quarter: a row per active institution, with suggested items."""
    if actor is not None:
        require_staff(actor, org)
    if QuarterlyList.objects.current().filter(org=org, year=year, quarter=quarter).exists():
        raise ValidationError(
            _("%(org)s %(year)s年第%(q)s季度的清单已存在。") % {"org": org, "year": year, "q": quarter}
        )
    period = quarter_period(year, quarter)
    if period.start > timezone.localdate():
        raise ValidationError(_("该季度尚未开始，不能编制清单。"))
    quarterly_list = QuarterlyList(org=org, year=year, quarter=quarter, created_by=actor)
    quarterly_list._change_reason = _("起草清单")
    quarterly_list.save()
    _fill_rows(quarterly_list, period)
    log_action(
        actor=actor, action="institutions.list.drafted", target=quarterly_list, period=quarterly_list.period_code
    )
    return quarterly_list


def _fill_rows(quarterly_list: QuarterlyList, period: Period) -> None:
    org = quarterly_list.org
    # The roll-up reads the quarter's cases, interviews and findings, never this list: the replica's (core/replica.py).
    with replica_reads():
        figures = quarter_figures(org, period)
        evidence = list_evidence(org, period, list(figures))
    rules = list(ListSuggestionRule.objects.filter(active=True))
    existing = {row.institution_id: row for row in quarterly_list.rows.prefetch_related("items")}
    for institution_id, row_figures in figures.items():
        row = existing.get(institution_id)
        if row is None:
            row = ListRow(quarterly_list=quarterly_list, institution_id=institution_id, figures=row_figures)
            row._change_reason = _("起草清单")
            row.save()
        else:
            row.figures = row_figures
            row._change_reason = _("刷新指标")
            row.save(update_fields=["figures"])
        for item in suggest_items(row, rules, evidence):
            _save_item(item, _("系统建议"))


@transaction.atomic
def list_refresh(*, actor, quarterly_list: QuarterlyList) -> QuarterlyList:
    """Recompute the figures of a draft and add suggestions for rules that fire now (decisions are kept)."""
    require_staff(actor, quarterly_list.org)
    _require_editable(quarterly_list)
    _fill_rows(quarterly_list, quarter_period(quarterly_list.year, quarterly_list.quarter))
    log_action(actor=actor, action="institutions.list.refreshed", target=quarterly_list)
    return quarterly_list


# --- Items -------------------------------------------------------------------------------------------


def _item_list(item: ListItem) -> QuarterlyList:
    return item.row.quarterly_list


@transaction.atomic
def item_decide(*, actor, item: ListItem, accept: bool) -> ListItem:
    quarterly_list = _item_list(item)
    require_staff(actor, quarterly_list.org)
    _require_editable(quarterly_list)
    item.state = ListItem.State.ACCEPTED if accept else ListItem.State.REJECTED
    item.decided_by = actor
    _save_item(item, _("采纳建议") if accept else _("不采纳建议"), ["state", "decided_by"])
    _auto_assessment(item.row)
    log_action(
        actor=actor,
        action="institutions.list.item_accepted" if accept else "institutions.list.item_rejected",
        target=quarterly_list,
        item=item.pk,
    )
    return item


@transaction.atomic
def item_edit(*, actor, item: ListItem, element: str, description: str) -> ListItem:
    """Edit an item's wording; editing a suggestion accepts it."""
    quarterly_list = _item_list(item)
    require_staff(actor, quarterly_list.org)
    _require_editable(quarterly_list)
    if not description.strip():
        raise ValidationError(_("请填写事项描述。"))
    item.element = element
    item.description = description
    if item.state == ListItem.State.SUGGESTED:
        item.state = ListItem.State.ACCEPTED
    item.decided_by = actor
    _save_item(item, _("修改事项"), ["element", "description", "state", "decided_by"])
    _auto_assessment(item.row)
    log_action(actor=actor, action="institutions.list.item_edited", target=quarterly_list, item=item.pk)
    return item


@transaction.atomic
def item_add(
    *, actor, row: ListRow, polarity: str, element: str, description: str, evidence=None, survey_finding=None
) -> ListItem:
    """An item added by hand (e.g. a commendation) or from a survey finding; it counts as accepted."""
    require_staff(actor, row.quarterly_list.org)
    _require_editable(row.quarterly_list)
    if not description.strip():
        raise ValidationError(_("请填写事项描述。"))
    item = ListItem(
        row=row,
        polarity=polarity,
        element=element,
        description=description,
        state=ListItem.State.ACCEPTED,
        source=ListItem.Source.SURVEY if survey_finding else ListItem.Source.MANUAL,
        survey_finding=survey_finding,
        evidence=evidence or [],
        decided_by=actor,
    )
    _save_item(item, _("人工添加事项"))
    _auto_assessment(row)
    log_action(actor=actor, action="institutions.list.item_added", target=row.quarterly_list, item=item.pk)
    return item


@transaction.atomic
def finding_to_item(*, actor, finding: SurveyFinding, quarterly_list: QuarterlyList) -> ListItem:
    """Turn a survey finding into a negative item on the institution's row of a draft list."""
    row = quarterly_list.rows.filter(institution=finding.institution).first()
    if row is None:
        raise ValidationError(_("该清单中没有机构“%(inst)s”。") % {"inst": finding.institution})
    if finding.list_items.filter(row__quarterly_list=quarterly_list).exists():
        raise ValidationError(_("该调研发现已列入此清单。"))
    return item_add(
        actor=actor,
        row=row,
        polarity=Polarity.NEGATIVE,
        element=finding.element,
        description=finding.description,
        evidence=[{"kind": "survey", "id": finding.survey_id, "label": finding.survey.title}],
        survey_finding=finding,
    )


@transaction.atomic
def row_set_assessment(*, actor, row: ListRow, assessment: str, note: str = "") -> ListRow:
    require_staff(actor, row.quarterly_list.org)
    _require_editable(row.quarterly_list)
    if assessment not in Assessment.values:
        raise ValidationError(_("总体评价无效。"))
    row.assessment = assessment
    row.assessment_by_hand = True
    row.note = note
    row._change_reason = _("人工评价")
    row.save(update_fields=["assessment", "assessment_by_hand", "note"])
    return row


# --- Workflow ----------------------------------------------------------------------------------------


def _set_status(quarterly_list: QuarterlyList, status: str, reason: str, fields: list[str]) -> None:
    quarterly_list.status = status
    quarterly_list._change_reason = reason
    quarterly_list.save(update_fields=["status", *fields])


@transaction.atomic
def list_submit(*, actor, quarterly_list: QuarterlyList) -> QuarterlyList:
    require_staff(actor, quarterly_list.org)
    _require_editable(quarterly_list)
    pending = ListItem.objects.filter(row__quarterly_list=quarterly_list, state=ListItem.State.SUGGESTED).count()
    if pending:
        raise ValidationError(_("还有 %(n)s 条系统建议未确认（采纳或不采纳），不能提交。") % {"n": pending})
    quarterly_list.submitted_by = actor
    quarterly_list.submitted_at = timezone.now()
    _set_status(quarterly_list, S.SUBMITTED, _("提交审批"), ["submitted_by", "submitted_at"])
    log_action(actor=actor, action="institutions.list.submitted", target=quarterly_list)
    return quarterly_list


@transaction.atomic
def list_approve(*, actor, quarterly_list: QuarterlyList) -> QuarterlyList:
    require_supervisor(actor, quarterly_list.org)
    if quarterly_list.status != S.SUBMITTED:
        raise ValidationError(_("只有已提交审批的清单可以批准。"))
    quarterly_list.approved_by = actor
    quarterly_list.approved_at = timezone.now()
    _set_status(quarterly_list, S.APPROVED, _("负责人批准"), ["approved_by", "approved_at"])
    log_action(actor=actor, action="institutions.list.approved", target=quarterly_list)
    return quarterly_list


@transaction.atomic
def list_return(*, actor, quarterly_list: QuarterlyList, reason: str) -> QuarterlyList:
    """The supervisor sends a submitted or approved list back to draft."""
    require_supervisor(actor, quarterly_list.org)
    if quarterly_list.status not in (S.SUBMITTED, S.APPROVED):
        raise ValidationError(_("只有已提交或已批准、尚未报送分局的清单可以退回修改。"))
    if not reason.strip():
        raise ValidationError(_("退回须说明理由。"))
    quarterly_list.approved_by = None
    quarterly_list.approved_at = None
    _set_status(quarterly_list, S.DRAFT, _("退回修改：%(r)s") % {"r": reason}, ["approved_by", "approved_at"])
    log_action(actor=actor, action="institutions.list.returned", target=quarterly_list, reason=reason)
    return quarterly_list


def build_snapshot(quarterly_list: QuarterlyList) -> dict:
    """Every figure and item of every row, as JSON: what the branch received."""
    rows = []
    for row in quarterly_list.rows.select_related("institution", "institution__type").prefetch_related("items"):
        rows.append(
            {
                "institution_id": row.institution_id,
                "institution": row.institution.full_name,
                "short_name": row.institution.short_name,
                "type": row.institution.type.name,
                "figures": row.figures,
                "assessment": row.assessment,
                "note": row.note,
                "items": [
                    {
                        "polarity": item.polarity,
                        "element": item.element,
                        "description": item.description,
                        "source": item.source,
                        "evidence": item.evidence,
                    }
                    for item in row.items.all()
                    if item.state == ListItem.State.ACCEPTED
                ],
            }
        )
    return {
        "org": quarterly_list.org.code,
        "period": quarterly_list.period_code,
        "version": quarterly_list.version,
        "rows": rows,
    }


@transaction.atomic
def list_freeze(*, actor, quarterly_list: QuarterlyList) -> QuarterlyList:
    """Submit to the branch: the list is frozen with a snapshot and the SHA-256 of its exported files."""
    require_supervisor(actor, quarterly_list.org)
    quarterly_list = QuarterlyList.objects.select_for_update().get(pk=quarterly_list.pk)
    if quarterly_list.status != S.APPROVED:
        raise ValidationError(_("只有负责人已批准的清单可以报送分局。"))
    require_files_ready(quarterly_list)
    quarterly_list.snapshot = build_snapshot(quarterly_list)
    quarterly_list.frozen_by = actor
    quarterly_list.frozen_at = timezone.now()
    _set_status(quarterly_list, S.FROZEN, _("报送分局并锁定"), ["snapshot", "frozen_by", "frozen_at"])
    log_action(
        actor=actor,
        action="institutions.list.frozen",
        target=quarterly_list,
        pdf_sha256=quarterly_list.pdf_sha256,
        xlsx_sha256=quarterly_list.xlsx_sha256,
    )
    return quarterly_list


@transaction.atomic
def list_supersede(*, actor, quarterly_list: QuarterlyList, reason: str) -> QuarterlyList:
    """A frozen list is never edited: a new draft version replaces it, carrying its rows and items."""
    require_supervisor(actor, quarterly_list.org)
    if quarterly_list.status != S.FROZEN:
        raise ValidationError(_("只有已报送分局的清单可以编制新版本。"))
    if not reason.strip():
        raise ValidationError(_("编制新版本须说明原因。"))
    _set_status(quarterly_list, S.SUPERSEDED, _("被新版本替代：%(r)s") % {"r": reason}, [])
    new = QuarterlyList(
        org=quarterly_list.org,
        year=quarterly_list.year,
        quarter=quarterly_list.quarter,
        version=quarterly_list.version + 1,
        supersedes=quarterly_list,
        supersede_reason=reason,
        note=quarterly_list.note,
        created_by=actor,
    )
    new._change_reason = _("编制新版本")
    new.save()
    for row in quarterly_list.rows.prefetch_related("items"):
        new_row = ListRow(
            quarterly_list=new,
            institution_id=row.institution_id,
            figures=row.figures,
            assessment=row.assessment,
            assessment_by_hand=row.assessment_by_hand,
            note=row.note,
        )
        new_row._change_reason = _("编制新版本")
        new_row.save()
        for item in row.items.all():
            copy = ListItem(
                row=new_row,
                polarity=item.polarity,
                element=item.element,
                description=item.description,
                state=item.state,
                source=item.source,
                rule_id=item.rule_id,
                survey_finding_id=item.survey_finding_id,
                evidence=item.evidence,
                decided_by_id=item.decided_by_id,
            )
            _save_item(copy, _("编制新版本"))
    log_action(actor=actor, action="institutions.list.superseded", target=quarterly_list, reason=reason, new=new.pk)
    return new
