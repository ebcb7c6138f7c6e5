"""Transfer of a petition outside the office's remit to the competent authority (docs/domain.md, "转送其他机关").

The office sends a 转送函 to the authority (人民银行, 地方金融管理部门, 公安, 市场监管, 法院) and closes the case as
非本机关职责; the authority's acknowledgement (date, by whom) and the telling of the petitioner (how, when) are
recorded afterwards on the closed case and followed on the transfers register.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Authority, Case, CaseDocument, TellMethod, Transfer
from ..models.choices import Closure
from .common import (
    begin_transition,
    cancel_rule_deadline,
    complete_rule_deadline,
    finish_case,
    log_case,
    record_event,
    require_note,
    save_case,
)
from .documents import document_issue


def _past_date(on, *, not_before: dt.date, text: str, field: str) -> dt.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})
    if on < not_before:
        raise ValidationError({field: text % {"on": not_before}})
    return on


@transaction.atomic
def petition_transfer(*, actor, case: Case, version: int, authority: str, authority_name: str, reason: str) -> Transfer:
    """转送: send the matter to the competent authority with a 转送函 and close the case as not our remit."""
    case = begin_transition(actor, case, version, "petition_transfer")
    if authority not in Authority.values:
        raise ValidationError({"authority": _("请选择接收机关类别。")})
    authority_name = require_note(authority_name, _("请填写接收机关名称。"))
    reason = require_note(reason, _("请填写转送理由（为何属于该机关职责）。"))
    today = timezone.localdate()
    from_status = case.status
    complete_rule_deadline(case, "P-ACK", today)
    cancel_rule_deadline(case, "P-OBJ", _("已转送有权机关"))
    document = document_issue(
        case=case,
        kind=CaseDocument.Kind.TRANSFER_LETTER,
        actor=actor,
        body={"authority": authority, "authority_name": authority_name, "reason": reason},
    )
    transfer = Transfer(
        org=case.org,
        case=case,
        authority=authority,
        authority_name=authority_name,
        letter_number=document.number,
        transferred_on=today,
        transferred_by=actor,
        reason=reason,
    )
    transfer._change_reason = _("转送有权机关")
    transfer.save()
    text = _("转送%(name)s（%(kind)s），转送函 %(no)s：%(reason)s") % {
        "name": authority_name,
        "kind": Authority(authority).label,
        "no": document.number,
        "reason": reason,
    }
    fields = finish_case(case, closure=Closure.NOT_OUR_REMIT, result=text)
    save_case(case, reason=_("转送有权机关"), fields=fields)
    record_event(case=case, actor=actor, action="transferred", from_status=from_status, note=text)
    log_case(actor, "transferred", case, authority=authority)
    return transfer


def _locked_transfer(case: Case) -> Transfer:
    transfer = Transfer.objects.select_for_update().filter(case=case).first()
    if transfer is None:
        raise ValidationError(_("本件没有转送记录。"))
    return transfer


@transaction.atomic
def transfer_acknowledge(
    *, actor, case: Case, version: int, acknowledged_on: dt.date | None, acknowledged_by: str
) -> Transfer:
    """登记接收机关签收: the receiving authority acknowledged the transfer (date, by whom)."""
    case = begin_transition(actor, case, version, "transfer_acknowledge")
    transfer = _locked_transfer(case)
    if transfer.acknowledged_on:
        raise ValidationError(_("接收机关签收已登记。"))
    acknowledged_by = require_note(acknowledged_by, _("请填写接收机关的签收人。"))
    transfer.acknowledged_on = _past_date(
        acknowledged_on,
        not_before=transfer.transferred_on,
        text=_("签收日期不能早于转送日期（%(on)s）。"),
        field="on",
    )
    transfer.acknowledged_by = acknowledged_by
    transfer._change_reason = _("接收机关签收")
    transfer.save(update_fields=["acknowledged_on", "acknowledged_by"])
    save_case(case, reason=_("接收机关签收"), fields=[])
    record_event(
        case=case,
        actor=actor,
        action="transfer_acknowledged",
        from_status=case.status,
        note=_("%(name)s于 %(on)s 签收转送函，签收人：%(by)s")
        % {
            "name": transfer.authority_name,
            "on": transfer.acknowledged_on,
            "by": acknowledged_by,
        },
    )
    log_case(actor, "transfer_acknowledged", case)
    return transfer


@transaction.atomic
def transfer_tell_petitioner(*, actor, case: Case, version: int, told_on: dt.date | None, told_how: str) -> Transfer:
    """告知信访人: the petitioner was told where the matter went (how, when)."""
    case = begin_transition(actor, case, version, "transfer_tell")
    transfer = _locked_transfer(case)
    if transfer.told_on:
        raise ValidationError(_("已登记告知信访人。"))
    if told_how not in TellMethod.values:
        raise ValidationError({"how": _("请选择告知方式。")})
    transfer.told_on = _past_date(
        told_on, not_before=transfer.transferred_on, text=_("告知日期不能早于转送日期（%(on)s）。"), field="on"
    )
    transfer.told_how = told_how
    transfer._change_reason = _("告知信访人转送情况")
    transfer.save(update_fields=["told_on", "told_how"])
    save_case(case, reason=_("告知信访人转送情况"), fields=[])
    record_event(
        case=case,
        actor=actor,
        action="transfer_told",
        from_status=case.status,
        note=_("于 %(on)s 以%(how)s方式告知信访人已转送%(name)s。")
        % {
            "on": transfer.told_on,
            "how": TellMethod(told_how).label,
            "name": transfer.authority_name,
        },
    )
    log_case(actor, "transfer_told", case)
    return transfer
