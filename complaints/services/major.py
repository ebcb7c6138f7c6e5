"""重大/群体性事项 (docs/domain.md「重大、群体性事项」): the flag and the 紧急报告 to the prefecture branch.

条例 Art 25: a matter raised by many people together, or with a large amount or public attention, is reported at
once to the higher office. The flag is set at intake from the people count or the amount, or by a supervisor.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import OrgUnit, User
from core.roles import GROUP_NAMES, Role
from core.services.notifications import Message, notify_many

from ..models import Case, CaseDocument
from .common import lock_case, log_case, record_event, require_handler, require_note, require_supervisor, save_case
from .documents import document_issue


def automatic_major_reason(*, group_size: int, amount_involved: Decimal | None) -> str:
    """Why a matter is major by the settings' thresholds, or "" when it is not."""
    reasons = []
    if group_size >= settings.MAJOR_MATTER_MIN_PEOPLE:
        reasons.append(
            _("涉及 %(n)s 人（群体性，%(min)s 人及以上）") % {"n": group_size, "min": settings.MAJOR_MATTER_MIN_PEOPLE}
        )
    if amount_involved is not None and amount_involved > settings.MAJOR_MATTER_AMOUNT_YUAN:
        reasons.append(
            _("涉及金额 %(amount)s 元（超过 %(limit)s 元）")
            % {"amount": f"{amount_involved:,.2f}", "limit": f"{settings.MAJOR_MATTER_AMOUNT_YUAN:,}"}
        )
    return "；".join(reasons)


@transaction.atomic
def case_mark_major(*, actor, case: Case, version: int, reason: str) -> Case:
    """A supervisor flags a matter 重大/群体性 by hand (e.g. public attention), with the reason."""
    case = lock_case(case, version)
    require_supervisor(actor, case)
    reason = require_note(reason, _("请填写认定为重大/群体性事项的理由。"))
    if case.is_major:
        raise ValidationError(_("该案件已标为重大/群体性事项。"))
    case.is_major = True
    case.major_reason = reason[:200]
    save_case(case, reason=_("标为重大/群体性事项"), fields=["is_major", "major_reason"])
    record_event(
        case=case,
        actor=actor,
        action="marked_major",
        from_status=case.status,
        note=_("标为重大/群体性事项：%(r)s") % {"r": reason},
    )
    log_case(actor, "marked_major", case)
    return case


def branch_of(org: OrgUnit) -> OrgUnit | None:
    """The prefecture branch (分局) above a sub-bureau."""
    node = org.parent
    while node is not None and node.level != OrgUnit.Level.BRANCH:
        node = node.parent
    return node


def branch_reviewers(branch: OrgUnit) -> list[User]:
    return list(
        User.objects.filter(org=branch, is_active=True, groups__name=GROUP_NAMES[Role.REVIEWER])
        .order_by("id")
        .distinct()
    )


@transaction.atomic
def case_urgent_report(*, actor, case: Case, version: int, facts: str, measures: str) -> CaseDocument:
    """紧急报告 to the prefecture branch (条例 Art 25): a numbered document, and a notification to its reviewers.

    The notification carries the case number and the office only, never personal data (docs/domain.md「个人信息」).
    """
    case = lock_case(case, version)
    require_handler(actor, case)
    if not case.is_major:
        raise ValidationError(_("只有重大/群体性事项才报送紧急报告。"))
    facts = require_note(facts, _("请填写基本事实。"))
    measures = require_note(measures, _("请填写已采取的措施。"))
    branch = branch_of(case.org)
    if branch is None:
        raise ValidationError(_("本单位没有上级分局，无法报送紧急报告。"))
    document = document_issue(
        case=case,
        kind=CaseDocument.Kind.URGENT_REPORT,
        actor=actor,
        body={"facts": facts, "measures": measures, "branch": branch.official_name},
    )
    save_case(case, reason=_("报送紧急报告"), fields=[])
    record_event(
        case=case,
        actor=actor,
        action="urgent_report",
        from_status=case.status,
        note=_("向%(branch)s报送紧急报告 %(number)s") % {"branch": branch.name, "number": document.number},
    )
    reviewers = branch_reviewers(branch)
    title = _("【紧急报告】%(office)s 重大/群体性事项 %(number)s") % {"office": case.org.name, "number": case.number}
    body = _("%(office)s报送紧急报告（%(doc)s）：%(reason)s。请登录系统查看。") % {
        "office": case.org.name,
        "doc": document.number,
        "reason": case.major_reason,
    }
    link = reverse("complaints:case_detail", args=[case.pk])
    notify_many(
        [
            Message(
                user=user,
                title=title,
                body=body,
                link=link,
                kind="warning",
                key=f"urgent_report:{document.pk}:{case.version}",
            )
            for user in reviewers
        ]
    )
    log_case(actor, "urgent_report", case, document=document.number, reviewers=len(reviewers))
    return document
