"""暂停计时 / 恢复计时 from the case page (docs/domain.md「暂停计时」): parse the form, one service call, redirect."""

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
from ..services.pauses import case_clock_pause, case_clock_resume
from .cases import get_case_for_user


def _submit(request, pk, form_class, call, done: str):
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
    return redirect(f"{reverse('complaints:case_detail', args=[case.pk])}#deadlines")


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
