"""Registering a mediation case, the parties' consent, the mediator's assignment and recusal, extensions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.personal import validate_phone, validate_resident_id
from core.services.audit import log_action
from core.services.deadlines import deadline_extend, deadline_open
from core.services.numbering import next_number
from core.uploads import sha256_of, validate_upload
from mediation.access import can_write_office
from mediation.models import Agent, ExtensionConsent, MediationCase, Mediator, PartnerKind, Side, Source, Status
from mediation.models.choices import COURT_SOURCES

from .common import (
    PERIOD_RULES,
    court_period,
    deadline_owner,
    open_deadlines,
    refresh_due_on,
    require_office,
    require_open,
)


def _new_number(org, year: int) -> str:
    return f"TJ-{year}-{next_number(org=org, key='TJ', year=year):04d}"


def _label(case: MediationCase, what: str) -> str:
    # Reminders carry the number and the step only, never the applicant's name.
    return f"{case.number} {what}"


@transaction.atomic
def mediation_register(
    *,
    actor,
    org,
    source: str,
    applicant_name: str,
    institution,
    summary: str,
    received_on: dt.date | None = None,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
    respondent_representative: str = "",
    facts: str = "",
    claims: str = "",
    disputed_points: str = "",
    amount_claimed: Decimal | None = None,
    referring_partner=None,
    court_case_number: str = "",
    origin_case=None,
    summary_procedure: bool = False,
) -> MediationCase:
    """Register a direct application or a court referral (referrals from the ledger use mediation_refer_from_case).

    `summary_procedure`: a 委托 case the court tries under the summary procedure (its clock is 7 days, not 15).
    """
    if not (actor.is_superuser or (actor.org_id and org.is_within(actor.org))):
        raise PermissionDenied(_("不能为其他单位登记调解案件。"))
    if not can_write_office(actor):
        raise PermissionDenied(_("只有登记办理人员或负责人可以登记调解案件。"))
    if source in COURT_SOURCES:
        if referring_partner is None or referring_partner.kind != PartnerKind.COURT:
            raise ValidationError(_("法院委派或委托的调解须选择委派/委托的法院。"))
        if source == Source.COURT_AFTER_FILING and not court_case_number.strip():
            raise ValidationError(_("法院诉中委托调解须填写法院案号。"))
    elif referring_partner is not None:
        raise ValidationError(_("只有法院委派或委托的调解才填写委派/委托法院。"))
    if summary_procedure and source != Source.COURT_AFTER_FILING:
        raise ValidationError(_("只有法院立案后委托的调解才标注“适用简易程序”。"))
    if source == Source.REFERRED and origin_case is None:
        raise ValidationError(_("支局转调的调解须关联信访投诉件。"))
    if not applicant_name.strip():
        raise ValidationError(_("请填写申请人姓名。"))
    if applicant_id_number:
        applicant_id_number = validate_resident_id(applicant_id_number)
    if applicant_phone:
        applicant_phone = validate_phone(applicant_phone)
    if institution.org_id != org.pk and not institution.org.is_within(org):
        raise ValidationError(_("被申请机构不属于本单位监管范围。"))
    if amount_claimed is not None and amount_claimed < 0:
        raise ValidationError(_("请求金额不能为负数。"))
    received_on = received_on or timezone.localdate()
    case = MediationCase(
        org=org,
        number=_new_number(org, received_on.year),
        source=source,
        origin_case=origin_case,
        referring_partner=referring_partner,
        court_case_number=court_case_number.strip(),
        summary_procedure=summary_procedure,
        received_on=received_on,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone,
        applicant_address=applicant_address,
        institution=institution,
        respondent_representative=respondent_representative,
        summary=summary,
        facts=facts,
        claims=claims,
        disputed_points=disputed_points,
        amount_claimed=amount_claimed,
        created_by=actor,
    )
    case._change_reason = _("登记调解案件")
    case.save()
    log_action(actor=actor, action="mediation.case.registered", target=case, source=source)
    return case


@transaction.atomic
def mediation_refer_from_case(*, actor, case) -> MediationCase:
    """One click from the case page: a mediation case carrying the complainant, the institution and the facts."""
    from complaints.services.mediation_link import case_record_mediation_referral

    if not case.is_open:
        raise ValidationError(_("该案件已办结，不能转调解。"))
    if case.is_anonymous or not case.name:
        raise ValidationError(_("匿名或未留姓名的案件不能转调解：调解需要明确的申请人。"))
    if case.institution_id is None:
        raise ValidationError(_("该案件未填写涉及机构，不能转调解。"))
    if MediationCase.objects.open().filter(origin_case=case).exists():
        raise ValidationError(_("该案件已有进行中的调解。"))
    mediation = mediation_register(
        actor=actor,
        org=case.org,
        source=Source.REFERRED,
        origin_case=case,
        applicant_name=case.name,
        applicant_id_number=case.id_number,
        applicant_phone=case.phone,
        applicant_address=case.address,
        institution=case.institution,
        summary=case.summary,
        facts=case.content,
    )
    case_record_mediation_referral(actor=actor, case=case, mediation_number=mediation.number)
    return mediation


@transaction.atomic
def mediation_record_consent(*, actor, case: MediationCase, side: str, consent_on: dt.date) -> MediationCase:
    """Record that one party agreed to mediation; with both, the case is accepted (and M-ADR starts)."""
    require_office(actor, case)
    require_open(case)
    if case.status != Status.APPLIED:
        raise ValidationError(_("双方已同意调解，无需重复登记。"))
    if consent_on > timezone.localdate():
        raise ValidationError(_("同意日期不能晚于今天。"))
    if consent_on < case.received_on:
        raise ValidationError(_("同意日期不能早于收案日期。"))
    field = "applicant_consent_on" if side == Side.APPLICANT else "respondent_consent_on"
    setattr(case, field, consent_on)
    fields = [field, "updated_at"]
    if case.both_consented:
        case.status = Status.ACCEPTED
        case.accepted_on = max(case.applicant_consent_on, case.respondent_consent_on)
        fields += ["status", "accepted_on"]
    case._change_reason = _("登记当事人同意调解")
    case.save(update_fields=fields)
    if case.status == Status.ACCEPTED and not case.is_court_referral:
        owner, backup = deadline_owner(case)
        deadline_open(
            item=case,
            rule_code="M-ADR",
            started_on=case.accepted_on,
            label=_label(case, _("调解期限")),
            org=case.org,
            owner=owner,
            backup=backup,
            institution_id=case.institution_id,
            item_kind="mediation",
            actor=actor,
        )
        refresh_due_on(case)
    log_action(actor=actor, action="mediation.case.consent", target=case, side=side)
    return case


@transaction.atomic
def mediation_assign(
    *, actor, case: MediationCase, mediator: Mediator, assigned_on: dt.date | None = None
) -> MediationCase:
    """Assign a mediator from the roster; they must declare on recusal before they see the file."""
    require_office(actor, case)
    require_open(case)
    if not case.both_consented:
        raise ValidationError(_("双方当事人均同意调解后才能指派调解员。"))
    if case.status not in (Status.ACCEPTED, Status.ASSIGNED):
        raise ValidationError(_("调解已开始，不能更换调解员。"))
    if not mediator.active or not mediator.partner.active or mediator.partner.org_id != case.org_id:
        raise ValidationError(_("该调解员不在本工作站的在册名册中。"))
    assigned_on = assigned_on or timezone.localdate()
    if assigned_on > timezone.localdate() or assigned_on < case.accepted_on:
        raise ValidationError(_("指派日期应在受理之后、今天之前。"))
    case.mediator = mediator
    case.assigned_on = assigned_on
    case.recusal_declared_at = None
    case.recusal_statement = ""
    case.status = Status.ASSIGNED
    case._change_reason = _("指派调解员")
    case.save(
        update_fields=["mediator", "assigned_on", "recusal_declared_at", "recusal_statement", "status", "updated_at"]
    )
    log_action(actor=actor, action="mediation.case.assigned", target=case, mediator=mediator.pk)
    if mediator.user_id is not None:
        from core.services.notifications import notify

        # The number only: the parties are shown on the declaration page, behind the access check.
        notify(
            user=mediator.user,
            title=_("新的调解指派：%(n)s") % {"n": case.number},
            body=_("请先作回避声明，声明无回避情形后方可查阅案卷。"),
            link=reverse("mediation:recusal", args=[case.pk]),
            key=f"mediation-assigned:{case.pk}:{case.assigned_on.isoformat()}",
        )
    return case


@transaction.atomic
def mediation_declare_recusal(
    *, actor, case: MediationCase, has_conflict: bool, statement: str, declared_on: dt.date | None = None
) -> MediationCase:
    """The mediator declares whether a ground for recusal (回避) applies.

    No conflict: the mediator signs for the papers and the file opens to them (a court referral's clock starts:
    M-COURT for 委派, M-ENTRUST for 委托, 7 days of it under the summary procedure). A conflict: the mediator
    steps down and the office assigns another. A mediator with an account declares personally (today); for one
    without an account the office records the signed paper declaration with the date it was signed
    (`declared_on`).
    """
    require_open(case)
    if case.status != Status.ASSIGNED or case.mediator_id is None:
        raise ValidationError(_("当前没有待作回避声明的调解员。"))
    mediator = case.mediator
    if mediator.user_id is not None:
        if mediator.user_id != actor.pk:
            raise PermissionDenied(_("回避声明须由被指派的调解员本人作出。"))
        declared_on = None
    else:
        require_office(actor, case)
    if not statement.strip():
        raise ValidationError(_("请填写回避声明内容。"))
    signed_on = declared_on or timezone.localdate()
    if signed_on > timezone.localdate() or signed_on < case.assigned_on:
        raise ValidationError(_("声明日期应在指派之后、今天之前。"))
    if has_conflict:
        case.mediator = None
        case.assigned_on = None
        case.status = Status.ACCEPTED
        case._change_reason = _("调解员申请回避：%(s)s") % {"s": statement}
        case.save(update_fields=["mediator", "assigned_on", "status", "updated_at"])
        log_action(actor=actor, action="mediation.case.recused", target=case, mediator=mediator.pk)
        return case
    case.recusal_declared_at = (
        timezone.now() if declared_on is None else timezone.make_aware(dt.datetime.combine(declared_on, dt.time(9, 0)))
    )
    case.recusal_statement = statement.strip()
    case.papers_received_on = signed_on
    case.status = Status.MEDIATING
    case._change_reason = _("调解员声明无回避情形并签收材料")
    case.save(update_fields=["recusal_declared_at", "recusal_statement", "papers_received_on", "status", "updated_at"])
    rule_code, days = court_period(case)
    if case.is_court_referral and not open_deadlines(case, rule_code).exists():
        owner, backup = deadline_owner(case)
        label = _("法院委托调解期限") if rule_code == "M-ENTRUST" else _("法院委派调解期限")
        deadline_open(
            item=case,
            rule_code=rule_code,
            started_on=signed_on,
            days=days,
            label=_label(case, label),
            org=case.org,
            owner=owner,
            backup=backup,
            institution_id=case.institution_id,
            item_kind="mediation",
            actor=actor,
        )
        refresh_due_on(case)
    log_action(actor=actor, action="mediation.case.no_conflict_declared", target=case, mediator=mediator.pk)
    return case


@transaction.atomic
def mediation_extend(
    *,
    actor,
    case: MediationCase,
    days: int,
    reason: str,
    applicant_consent_on: dt.date | None,
    respondent_consent_on: dt.date | None,
) -> ExtensionConsent:
    """Extend the mediation period: only with both parties' consent on record, each time.

    The total is capped by the rule's `max_extension_days`: the workstation's own M-ADR has its configured
    maximum, court mediation (M-COURT, M-ENTRUST) none, as the parties may agree to go on (docs/domain.md
    "纠纷调解"). Each extension keeps its reason and both consent dates (`ExtensionConsent`).
    """
    require_office(actor, case)
    require_open(case)
    if not applicant_consent_on or not respondent_consent_on:
        raise ValidationError(_("延长调解期限须经双方当事人同意，请登记双方同意的日期。"))
    today = timezone.localdate()
    if applicant_consent_on > today or respondent_consent_on > today:
        raise ValidationError(_("同意日期不能晚于今天。"))
    if not reason.strip():
        raise ValidationError(_("请填写延长调解期限的理由。"))
    deadline = open_deadlines(case, *PERIOD_RULES).first()
    if deadline is None:
        raise ValidationError(_("该案件没有进行中的调解期限。"))
    deadline_extend(deadline=deadline, days=days, actor=actor, reason=reason, today=today)
    consent = ExtensionConsent.objects.create(
        case=case,
        deadline=deadline,
        days=days,
        reason=reason,
        applicant_consent_on=applicant_consent_on,
        respondent_consent_on=respondent_consent_on,
        recorded_by=actor,
    )
    refresh_due_on(case)
    log_action(actor=actor, action="mediation.case.extended", target=case, days=days)
    return consent


@transaction.atomic
def agent_add(
    *, actor, case: MediationCase, side: str, name: str, upload, phone: str = "", authority: str = ""
) -> Agent:
    """Add an agent for a party with their written authorisation (授权委托书)."""
    require_office(actor, case)
    # After an agreement an agent may still be needed for judicial confirmation or performance.
    if not (case.is_open or case.has_agreement):
        raise ValidationError(_("该调解案件已结案。"))
    if not name.strip():
        raise ValidationError(_("请填写代理人姓名。"))
    if phone:
        phone = validate_phone(phone)
    if upload is None:
        raise ValidationError(_("请上传授权委托书。"))
    validate_upload(upload, allowed=("pdf", "jpg", "jpeg", "png", "docx", "doc"))
    agent = Agent(
        case=case,
        side=side,
        name=name.strip(),
        phone=phone,
        authority=authority,
        document_name=upload.name[:200],
        document_size=upload.size,
        document_sha256=sha256_of(upload),
        added_by=actor,
    )
    agent.document.save("authorisation", upload, save=False)
    agent._change_reason = _("登记代理人")
    agent.save()
    log_action(actor=actor, action="mediation.agent.added", target=case, agent=agent.pk, side=side)
    return agent
