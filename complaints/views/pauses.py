"""Case-page actions outside the workflow table: 暂停计时 / 恢复计时 (docs/domain.md「暂停计时」) and the 重大/群体性
flag with its 紧急报告 (docs/domain.md「重大、群体性事项」). Parse the form, one service call, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.service_errors import show_error

from .. import forms
from ..services.major import case_mark_major, case_urgent_report
from ..services.pauses import case_clock_pause, case_clock_resume
from .cases import get_case_for_user


def _submit(request, pk, form_class, call, done: str, anchor: str = "deadlines"):
    case = get_case_for_user(request, pk)
    form = form_class(request.POST, case=case)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("complaints:case_detail", pk=case.pk)
    try:
        call(request.user, case, form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('complaints:case_detail', args=[case.pk])}#{anchor}")


@login_required
@require_POST
def clock_pause(request, pk):
    return _submit(
        request,
        pk,
        forms.ClockPauseForm,
        lambda user, case, data: case_clock_pause(
            actor=user,
            case=case,
            version=data["version"],
            kind=data["kind"],
            reason=data["reason"],
            start_on=data["start_on"],
        ),
        _("已暂停计时。"),
    )


@login_required
@require_POST
def clock_resume(request, pk):
    return _submit(
        request,
        pk,
        forms.ClockResumeForm,
        lambda user, case, data: case_clock_resume(
            actor=user, case=case, version=data["version"], end_on=data["end_on"]
        ),
        _("已恢复计时，期限已按工作日历重新计算。"),
    )


@login_required
@require_POST
def mark_major(request, pk):
    return _submit(
        request,
        pk,
        forms.MarkMajorForm,
        lambda user, case, data: case_mark_major(actor=user, case=case, version=data["version"], reason=data["reason"]),
        _("已标为重大/群体性事项。"),
        anchor="major",
    )


@login_required
@require_POST
def urgent_report(request, pk):
    return _submit(
        request,
        pk,
        forms.UrgentReportForm,
        lambda user, case, data: case_urgent_report(
            actor=user, case=case, version=data["version"], facts=data["facts"], measures=data["measures"]
        ),
        _("紧急报告已出具，已通知分局审阅人员。"),
        anchor="documents",
    )
