"""暴露一件、自查一批 from the case page (docs/domain.md「约谈督导」): start an interview of the case's institution, or
add the exposed problem as a topic of one not yet held; the interview links back to the case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.service_errors import show_error
from institutions.services.exposure import interview_add_topic_from, interview_start_from, open_interviews_for_topics

from .. import forms
from .. import services as svc
from ..models import Case
from .cases import get_case_for_user


def _label(case: Case) -> str:
    return f"{case.number} {case.get_case_type_display()}"


@login_required
@require_POST
def interview_from_case(request, pk):
    case = get_case_for_user(request, pk)
    if case.institution_id is None:
        messages.error(request, _("该案件未填写涉及机构，不能发起约谈。"))
        return redirect("complaints:case_detail", pk=case.pk)
    interviews = list(open_interviews_for_topics(case.institution))
    form = forms.ExposureInterviewForm(request.POST, case=case, interviews=interviews)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('complaints:case_detail', args=[case.pk])}#exposure")
    data = form.cleaned_data
    common = {
        "actor": request.user,
        "origin": case,
        "label": _label(case),
        "link": reverse("complaints:case_detail", args=[case.pk]),
        "topic": data["topic"],
        "similar_class": data["similar_class"],
    }
    try:
        if not svc.can_handle(request.user, case):
            raise PermissionDenied(_("只有本案件的A岗、B岗或支局负责人可以办理该案件。"))
        if data["interview"]:
            chosen = next(i for i in interviews if str(i.pk) == data["interview"])
            interview = interview_add_topic_from(interview=chosen, institution=case.institution, **common)
            done = _("已加入约谈议题。")
        else:
            interview = interview_start_from(institution=case.institution, **common)
            done = _("已发起约谈，请安排约谈时间。")
    except (PermissionDenied, ValidationError) as exc:
        show_error(request, exc)
        return redirect(f"{reverse('complaints:case_detail', args=[case.pk])}#exposure")
    messages.success(request, done)
    return redirect("institutions:interview_detail", pk=interview.pk)
