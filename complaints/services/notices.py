"""Who hears of a workflow event: an extension request reaches the office's supervisors, its decision the case's
A and B, a reassignment the new A and B. In-app with an e-mail copy (core.services.notifications.notify, sent
after commit). Titles and bodies carry the case number and the step only, never personal data.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import Notification, User
from core.roles import GROUP_NAMES, Role
from core.services.notifications import Message, notify_many

from ..models import Case, ExtensionRequest


def office_supervisors(case: Case):
    """The active supervisors of the case's office."""
    return User.objects.filter(org_id=case.org_id, is_active=True, groups__name=GROUP_NAMES[Role.SUPERVISOR]).distinct()


def _case_link(case: Case, anchor: str = "") -> str:
    return reverse("complaints:case_detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _step(request: ExtensionRequest) -> str:
    """The deadline's stage, without the case number its label starts with (e.g. "书面答复")."""
    label = request.deadline.label or ""
    return label.removeprefix(request.case.number).strip() or _("办理期限")


def _send(recipients, actor, **message) -> None:
    people = {person.pk: person for person in recipients if person is not None and person.pk != actor.pk}
    notify_many([Message(user=person, **message) for person in people.values()])


def notify_extension_requested(*, actor, request: ExtensionRequest) -> None:
    case = request.case
    _send(
        office_supervisors(case),
        actor,
        title=_("延期申请待审批：%(number)s") % {"number": case.number},
        body=_("%(number)s 的“%(step)s”期限申请延期 %(days)s 天，请在案件页审批。")
        % {"number": case.number, "step": _step(request), "days": request.days},
        link=_case_link(case, "extensions"),
        kind=Notification.Kind.APPROVAL,
        key=f"complaints.extension_requested:{request.pk}",
    )


def notify_extension_decided(*, actor, request: ExtensionRequest) -> None:
    case = request.case
    approved = request.state == ExtensionRequest.State.APPROVED
    if approved:
        title = _("延期申请已批准：%(number)s") % {"number": case.number}
        body = _("%(number)s 的“%(step)s”期限延期 %(days)s 天，至 %(due)s。") % {
            "number": case.number,
            "step": _step(request),
            "days": request.days,
            "due": request.deadline.due_on.isoformat(),
        }
    else:
        title = _("延期申请未批准：%(number)s") % {"number": case.number}
        body = _("%(number)s 的“%(step)s”期限延期申请未获批准，请按原期限办理。") % {
            "number": case.number,
            "step": _step(request),
        }
    _send(
        [case.owner, case.backup],
        actor,
        title=title,
        body=body,
        link=_case_link(case, "extensions"),
        kind=Notification.Kind.INFO if approved else Notification.Kind.WARNING,
        key=f"complaints.extension_decided:{request.pk}",
    )


def notify_reassigned(*, actor, case: Case, old_owner_id: int | None, old_backup_id: int | None) -> None:
    """The new A and B hear which case is now theirs (a post that did not change is not announced again); the
    key carries the case version, so each change is announced once."""
    for person, role, before in ((case.owner, _("A岗"), old_owner_id), (case.backup, _("B岗"), old_backup_id)):
        if person is None or person.pk == before:
            continue
        _send(
            [person],
            actor,
            title=_("案件调整由您办理：%(number)s（%(role)s）") % {"number": case.number, "role": role},
            body=_("支局负责人已将 %(number)s 调整由您担任%(role)s，请及时办理。")
            % {"number": case.number, "role": role},
            link=_case_link(case),
            key=f"complaints.reassigned:{case.pk}:{case.version}",
        )
