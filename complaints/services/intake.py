"""Intake: a visit, call, letter, online item, sent-down item or 12378 forward becomes a contact record,
answered on the spot, opening a case, or joining an existing case as a repeat (重复件)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.crypto import blind_index
from core.personal import validate_phone, validate_resident_id
from core.roles import can_register
from core.services.audit import log_action
from core.services.numbering import next_number

from ..models import Case, Contact, Representative
from ..models.choices import CASE_NUMBER_PREFIX, CaseStatus, CaseType, Channel, PetitionKind
from ..search import case_reindex
from .case_counts import case_save
from .common import log_case, open_rule_deadline, record_event, sees_case, sync_due_on
from .intake_rules import REFERENCE_REQUIRED
from .major import automatic_major_reason
from .review import reviewed_matter_q

MAX_REPRESENTATIVES = 5
REPEAT_WINDOW_DAYS = 365


def _clean_person(*, name: str, id_number: str, phone: str, errors: dict, prefix: str = "") -> tuple[str, str, str]:
    name = (name or "").strip()
    id_number = (id_number or "").strip().upper()
    phone = (phone or "").strip()
    if id_number:
        try:
            id_number = validate_resident_id(id_number)
        except ValidationError as exc:
            errors.setdefault(f"{prefix}id_number", []).extend(exc.messages)
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors.setdefault(f"{prefix}phone", []).extend(exc.messages)
    return name, id_number, phone


def case_number(*, org, case_type: str, year: int) -> str:
    prefix = CASE_NUMBER_PREFIX[case_type]
    return f"{prefix}-{year}-{next_number(org=org, key=prefix, year=year):04d}"


def _initial_deadlines(case: Case, *, actor, materials_complete: bool) -> None:
    """The clocks that start at receipt (docs/domain.md, "期限与工作日历")."""
    received_on = case.received_on
    if case.case_type == CaseType.PETITION:
        open_rule_deadline(case, rule_code="P-ACK", started_on=received_on, label=_("受理告知"), actor=actor)
        if case.channel == Channel.SENT_DOWN:
            open_rule_deadline(case, rule_code="P-OBJ", started_on=received_on, label=_("非职责异议"), actor=actor)
    elif case.case_type == CaseType.REPORT:
        if materials_complete:
            open_rule_deadline(case, rule_code="R-ACK", started_on=received_on, label=_("举报受理告知"), actor=actor)
    else:
        open_rule_deadline(case, rule_code="C-FWD", started_on=received_on, label=_("转送机构"), actor=actor)


def _repeat_note(*, channel: str, received_at: dt.datetime, summary: str, content: str) -> str:
    """The line a repeat visit or call leaves on its case's timeline: what the person said this time belongs there,
    not only that they came again."""
    content = (content or "").strip()
    return _("重复件：%(channel)s %(when)s 再次反映：%(words)s") % {
        "channel": Channel(channel).label,
        "when": timezone.localtime(received_at).strftime("%Y-%m-%d %H:%M"),
        "words": f"{summary}\n{content}" if content else summary,
    }


@dataclass
class Registration:
    """What arrived, as `contact_register` received it; the checks below clean it in place."""

    org: object
    channel: str
    summary: str
    outcome: str
    received_at: dt.datetime
    topic: str
    reference_no: str
    name: str
    id_number: str
    phone: str
    address: str
    is_anonymous: bool
    group_size: int
    representatives: list[dict]
    institution: object
    content: str
    answer: str
    case_type: str
    petition_kind: str
    materials_complete: bool
    business: object
    cause: object
    owner: object
    backup: object
    repeat_of: Case | None
    cleaned_reps: list[dict] = field(default_factory=list)
    amount_involved: Decimal | None = None


class _Errors(dict):
    """Messages per form field, in the order they were found."""

    def add(self, field_name: str, message: str) -> None:
        self.setdefault(field_name, []).append(message)


def _check_what_arrived(reg: Registration, errors: _Errors, now: dt.datetime) -> None:
    reg.summary = (reg.summary or "").strip()
    if not reg.summary:
        errors.add("summary", _("请填写事项摘要。"))
    if reg.channel not in Channel.values:
        errors.add("channel", _("请选择来源渠道。"))
    if reg.received_at > now + dt.timedelta(minutes=5):
        errors.add("received_at", _("接收时间不能晚于当前时间。"))
    reg.reference_no = (reg.reference_no or "").strip()
    if reg.channel in REFERENCE_REQUIRED and not reg.reference_no:
        errors.add("reference_no", _("上级转送件和12378转来的件须填写来文/工单编号。"))


def _check_people(reg: Registration, errors: _Errors) -> None:
    """The person, the group's size and its representatives (at most five, each with a name)."""
    reg.name, reg.id_number, reg.phone = _clean_person(
        name=reg.name, id_number=reg.id_number, phone=reg.phone, errors=errors
    )
    if reg.is_anonymous:
        reg.name, reg.id_number, reg.phone, reg.address = "", "", "", ""
    reg.group_size = int(reg.group_size or 1)
    if reg.group_size < 1:
        errors.add("group_size", _("人数至少为1。"))
    representatives = [r for r in (reg.representatives or []) if any((r.get(k) or "").strip() for k in r)]
    if len(representatives) > MAX_REPRESENTATIVES:
        errors.add("representatives", _("集体访最多登记五名代表。"))
    if representatives and reg.group_size < 2:
        errors.add("group_size", _("登记代表的集体访人数应至少为2人。"))
    for index, rep in enumerate(representatives[:MAX_REPRESENTATIVES], start=1):
        rep_name, rep_id, rep_phone = _clean_person(
            name=rep.get("name", ""),
            id_number=rep.get("id_number", ""),
            phone=rep.get("phone", ""),
            errors=errors,
            prefix=f"rep{index}_",
        )
        if not rep_name:
            errors.add(f"rep{index}_name", _("请填写第%(n)s名代表的姓名。") % {"n": index})
        reg.cleaned_reps.append({"name": rep_name, "id_number": rep_id, "phone": rep_phone})


def _check_institution(reg: Registration, errors: _Errors) -> None:
    institution, org = reg.institution, reg.org
    if (
        institution is not None
        and institution.org_id
        and not org.is_within(institution.org)
        and not institution.org.is_within(org)
    ):
        errors.add("institution", _("所选机构不属于本单位监管范围。"))


def _check_answered(reg: Registration, actor, errors: _Errors) -> None:
    reg.answer = (reg.answer or "").strip()
    if not reg.answer:
        errors.add("answer", _("当场答复的，请填写答复内容。"))


def _check_case_kind(reg: Registration, errors: _Errors) -> None:
    """A new case's type, and what that type needs: a named person (only reports may be anonymous), an
    institution and a phone for a complaint."""
    case_type = reg.case_type
    if case_type not in CaseType.values:
        errors.add("case_type", _("登记为案件的，请选择案件类型。"))
    if case_type == CaseType.PETITION and reg.petition_kind not in PetitionKind.values:
        errors.add("petition_kind", _("请选择信访类别。"))
    if case_type != CaseType.PETITION:
        reg.petition_kind = ""
    if reg.is_anonymous and case_type != CaseType.REPORT:
        errors.add("is_anonymous", _("只有举报可以匿名；信访和投诉须登记姓名。"))
    if not reg.is_anonymous and not reg.name:
        errors.add("name", _("请填写姓名。"))
    if case_type == CaseType.COMPLAINT:
        if reg.institution is None:
            errors.add("institution", _("转办投诉须选择被投诉机构。"))
        if not reg.phone and not reg.is_anonymous:
            errors.add("phone", _("转办投诉须填写联系电话，以便机构联系和回访。"))


def _check_handlers(reg: Registration, actor, errors: _Errors) -> None:
    """A defaults to the person registering, B to A's standing backup; both of the unit, never the same."""
    reg.owner = reg.owner or actor
    owner = reg.owner
    if reg.backup is None:
        reg.backup = owner.backup if owner.backup_id and owner.backup_id != owner.pk else None
    if reg.backup is not None and reg.backup.pk == owner.pk:
        errors.add("backup", _("A岗和B岗不能是同一人。"))
    for person, field_name in ((owner, "owner"), (reg.backup, "backup")):
        if person is not None and person.org_id != reg.org.pk:
            errors.add(field_name, _("A岗、B岗须为本单位人员。"))


def _check_opened_case(reg: Registration, actor, errors: _Errors) -> None:
    _check_case_kind(reg, errors)
    _check_handlers(reg, actor, errors)


def _check_repeat(reg: Registration, actor, errors: _Errors) -> None:
    if reg.repeat_of is None:
        errors.add("repeat_of", _("请选择要并入的案件。"))
    elif not sees_case(actor, reg.repeat_of) or reg.repeat_of.org_id != reg.org.pk:
        errors.add("repeat_of", _("所选案件不存在或不属于本单位。"))


def _check_unknown_outcome(reg: Registration, actor, errors: _Errors) -> None:
    errors.add("outcome", _("请选择处理结果。"))


_OUTCOME_CHECKS = {
    Contact.Outcome.ANSWERED: _check_answered,
    Contact.Outcome.OPENED_CASE: _check_opened_case,
    Contact.Outcome.REPEAT: _check_repeat,
}


def _new_contact(reg: Registration, actor) -> Contact:
    return Contact(
        org=reg.org,
        channel=reg.channel,
        received_at=reg.received_at,
        reference_no=reg.reference_no,
        topic=reg.topic,
        name=reg.name,
        id_number=reg.id_number,
        phone=reg.phone,
        address=(reg.address or "").strip(),
        is_anonymous=reg.is_anonymous,
        group_size=reg.group_size,
        institution=reg.institution,
        summary=reg.summary,
        content=reg.content,
        outcome=reg.outcome,
        answer=reg.answer if reg.outcome == Contact.Outcome.ANSWERED else "",
        received_by=actor,
    )


def _open_case(reg: Registration, actor, address: str) -> Case:
    """A new case, numbered per office, type and year, with the clocks that start at receipt."""
    received_on = timezone.localdate(reg.received_at)
    pending = reg.case_type == CaseType.REPORT and not reg.materials_complete
    case = Case(
        org=reg.org,
        number=case_number(org=reg.org, case_type=reg.case_type, year=received_on.year),
        case_type=reg.case_type,
        petition_kind=reg.petition_kind,
        channel=reg.channel,
        reference_no=reg.reference_no,
        received_at=reg.received_at,
        received_on=received_on,
        name=reg.name,
        id_number=reg.id_number,
        phone=reg.phone,
        address=address,
        is_anonymous=reg.is_anonymous,
        group_size=reg.group_size,
        amount_involved=reg.amount_involved,
        institution=reg.institution,
        business=reg.business,
        cause=reg.cause,
        summary=reg.summary,
        content=reg.content,
        owner=reg.owner,
        backup=reg.backup,
        status=CaseStatus.MATERIALS_PENDING if pending else CaseStatus.REGISTERED,
        created_by=actor,
    )
    # 重大/群体性 from the people count or the amount (docs/domain.md「重大、群体性事项」).
    case.major_reason = automatic_major_reason(group_size=case.group_size, amount_involved=case.amount_involved)
    case.is_major = bool(case.major_reason)
    case._change_reason = _("登记")
    case_save(case)
    _initial_deadlines(case, actor=actor, materials_complete=reg.materials_complete)
    case_reindex(case)
    if sync_due_on(case):
        case_save(case, update_fields=["due_on", "due_provisional", "clock_paused"])
    record_event(
        case=case,
        actor=actor,
        action="registered",
        note=_("由%(channel)s登记") % {"channel": Channel(reg.channel).label},
    )
    log_case(actor, "registered", case, channel=reg.channel, case_type=reg.case_type)
    return case


def _join_repeat(reg: Registration, actor) -> Case:
    """The contact joins an existing case; its timeline says what the person said this time."""
    case = reg.repeat_of
    record_event(
        case=case,
        actor=actor,
        action="repeat_contact",
        from_status=case.status,
        note=_repeat_note(channel=reg.channel, received_at=reg.received_at, summary=reg.summary, content=reg.content),
    )
    log_case(actor, "repeat_linked", case, channel=reg.channel)
    return case


@transaction.atomic
def contact_register(
    *,
    actor,
    channel: str,
    summary: str,
    outcome: str,
    received_at: dt.datetime | None = None,
    topic: str = Contact.Topic.COMPLAINT,
    reference_no: str = "",
    name: str = "",
    id_number: str = "",
    phone: str = "",
    address: str = "",
    is_anonymous: bool = False,
    group_size: int = 1,
    representatives: list[dict] | None = None,
    institution=None,
    content: str = "",
    answer: str = "",
    case_type: str = "",
    petition_kind: str = "",
    materials_complete: bool = True,
    business=None,
    cause=None,
    owner=None,
    backup=None,
    repeat_of: Case | None = None,
    amount_involved: Decimal | None = None,
) -> Contact:
    """Register what arrived. Bad input raises one ValidationError with messages per field; nothing is saved.

    outcome "answered" needs the answer given; "opened_case" opens a case of `case_type` (numbered per office,
    type and year, with the clocks that start at receipt); "repeat" links the contact to `repeat_of`.
    """
    if not can_register(actor):
        raise PermissionDenied(_("只有登记办理人员或支局负责人可以登记来访来电。"))
    now = timezone.now()
    reg = Registration(
        org=actor.org,
        channel=channel,
        summary=summary,
        outcome=outcome,
        received_at=received_at or now,
        topic=topic,
        reference_no=reference_no,
        name=name,
        id_number=id_number,
        phone=phone,
        address=address,
        is_anonymous=is_anonymous,
        group_size=group_size,
        representatives=representatives or [],
        institution=institution,
        content=content,
        answer=answer,
        case_type=case_type,
        petition_kind=petition_kind,
        materials_complete=materials_complete,
        business=business,
        cause=cause,
        owner=owner,
        backup=backup,
        repeat_of=repeat_of,
        amount_involved=amount_involved,
    )
    errors = _Errors()
    if amount_involved is not None and amount_involved < 0:
        errors.add("amount_involved", _("涉及金额不能为负数。"))
    _check_what_arrived(reg, errors, now)
    _check_people(reg, errors)
    _check_institution(reg, errors)
    _OUTCOME_CHECKS.get(outcome, _check_unknown_outcome)(reg, actor, errors)
    if errors:
        raise ValidationError(dict(errors))

    contact = _new_contact(reg, actor)
    if outcome == Contact.Outcome.OPENED_CASE:
        contact.case = _open_case(reg, actor, contact.address)
    elif outcome == Contact.Outcome.REPEAT:
        contact.case = _join_repeat(reg, actor)
    contact._change_reason = _("登记")
    contact.save()
    for rep in reg.cleaned_reps:
        representative = Representative(contact=contact, **rep)
        representative._change_reason = _("登记")
        representative.save()
    log_action(actor=actor, action="complaints.contact.registered", target=contact, outcome=outcome, channel=channel)
    return contact


def possible_repeats(*, user, id_number: str = "", phone: str = "", institution_id=None, today=None, limit: int = 8):
    """Cases of the user's office from the same person (ID number or phone) in the last 12 months.

    Those about the same institution come first. Nothing is returned without a person identifier: the same
    institution alone is not a repeat.
    """
    today = today or timezone.localdate()
    id_number = (id_number or "").strip().upper()
    phone = (phone or "").strip().replace(" ", "")
    # The numbers are stored encrypted: equal ones are found through their keyed hashes (core/crypto.py).
    person = Q()
    if len(id_number) == 18:
        person |= Q(id_number_hash=blind_index("id", id_number))
    if len(phone) >= 7:
        person |= Q(phone_hash=blind_index("phone", phone))
    if not person or not user.is_authenticated or user.org_id is None:
        return []
    cases = list(
        Case.objects.filter(person, org=user.org, received_on__gte=today - dt.timedelta(days=REPEAT_WINDOW_DAYS))
        # A matter through 复核 is not accepted again: the page says so beside the case to link to.
        .annotate(reviewed=reviewed_matter_q())
        .select_related("institution", "org")
        .order_by("-received_at")[:50]
    )
    cases.sort(
        key=lambda c: (
            not (institution_id and str(c.institution_id) == str(institution_id)),
            c.status == CaseStatus.CLOSED,
        )
    )
    return cases[:limit]
