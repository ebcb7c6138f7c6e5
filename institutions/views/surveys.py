from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import within_org_q
from core.service_errors import show_error

from .. import forms
from ..models import Interview, InterviewOrigin, QuarterlyList, Survey, SurveyFinding
from ..services import surveys as svc
from ..services.common import is_staff_of
from ..services.exposure import OPEN_FOR_TOPICS, interview_add_topic_from, interview_start_from
from ..services.lists import finding_to_item
from .access import get_survey_for_user, office_only, visible_institutions


@login_required
@office_only
def survey_list(request):
    user = request.user
    can_edit = user.org_id is not None and is_staff_of(user, user.org)
    form = None
    if can_edit:
        form = forms.SurveyForm(request.POST or None, institutions=visible_institutions(user).filter(is_active=True))
        if request.method == "POST" and form.is_valid():
            try:
                survey = svc.survey_create(actor=user, org=user.org, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                show_error(request, exc)
            else:
                messages.success(request, _("专项调研已创建。"))
                return redirect("institutions:survey_detail", pk=survey.pk)
    surveys = Survey.objects.for_user(user).select_related("org", "created_by")[:200]
    return render(request, "institutions/survey_list.html", {"surveys": surveys, "form": form})


def _draft_lists(survey: Survey):
    return QuarterlyList.objects.filter(within_org_q(survey.org), status=QuarterlyList.Status.DRAFT)


@login_required
def survey_detail(request, pk):
    survey = get_survey_for_user(request, pk)
    can_edit = is_staff_of(request.user, survey.org) and survey.status == Survey.Status.OPEN
    findings = list(survey.findings.select_related("institution").prefetch_related("list_items__row__quarterly_list"))
    _attach_interviews(findings)
    return render(
        request,
        "institutions/survey_detail.html",
        {
            "survey": survey,
            "institutions": survey.institutions.select_related("type"),
            "findings": findings,
            "finding_form": forms.FindingForm(institutions=survey.institutions.all()) if can_edit else None,
            "follow_up_form": forms.FollowUpForm(prefix="fu"),
            # One select per finding row: no id, so that the rows do not repeat one.
            "to_list_form": forms.FindingToListForm(lists=_draft_lists(survey), prefix="tl", auto_id=False),
            "can_edit": can_edit,
            "can_act": is_staff_of(request.user, survey.org),
        },
    )


@login_required
@require_POST
def survey_add_finding(request, pk):
    survey = get_survey_for_user(request, pk)
    form = forms.FindingForm(request.POST, institutions=survey.institutions.all())
    if form.is_valid():
        try:
            svc.survey_add_finding(actor=request.user, survey=survey, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("调研发现已登记。"))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("institutions:survey_detail", pk=pk)


@login_required
@require_POST
def survey_follow_up(request, pk, finding_pk):
    survey = get_survey_for_user(request, pk)
    finding = get_object_or_404(survey.findings, pk=finding_pk)
    form = forms.FollowUpForm(request.POST, prefix="fu")
    if form.is_valid():
        try:
            svc.survey_record_follow_up(actor=request.user, finding=finding, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("整改反馈已登记。"))
    else:
        messages.error(request, _("请填写反馈日期和情况。"))
    return redirect("institutions:survey_detail", pk=pk)


@login_required
@require_POST
def survey_finding_to_list(request, pk, finding_pk):
    survey = get_survey_for_user(request, pk)
    finding = get_object_or_404(survey.findings.select_related("institution", "survey"), pk=finding_pk)
    form = forms.FindingToListForm(request.POST, lists=_draft_lists(survey), prefix="tl")
    if form.is_valid():
        try:
            finding_to_item(actor=request.user, finding=finding, quarterly_list=form.cleaned_data["quarterly_list"])
        except (ValidationError, PermissionDenied) as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("已列入清单负面事项。"))
    else:
        messages.error(request, _("请选择一份草稿清单。"))
    return redirect("institutions:survey_detail", pk=pk)


def _attach_interviews(findings) -> None:
    """Each finding's open interviews (to add a topic to) and the interviews it led to: two queries in all."""
    open_by_institution = defaultdict(list)
    for interview in Interview.objects.filter(
        institution__in={f.institution_id for f in findings}, status__in=OPEN_FOR_TOPICS
    ).order_by("scheduled_at", "id"):
        open_by_institution[interview.institution_id].append(interview)
    led_to = defaultdict(list)
    for origin in InterviewOrigin.objects.filter(
        content_type=ContentType.objects.get_for_model(SurveyFinding), object_id__in=[f.pk for f in findings]
    ).select_related("interview"):
        led_to[origin.object_id].append(origin)
    for finding in findings:
        finding.open_interviews = open_by_institution[finding.institution_id]
        finding.interview_origins = led_to[finding.pk]


@login_required
@require_POST
def survey_finding_interview(request, pk, finding_pk):
    """暴露一件、自查一批 from a finding: start an interview, or add the finding to one not yet held."""
    survey = get_survey_for_user(request, pk)
    finding = get_object_or_404(survey.findings.select_related("institution"), pk=finding_pk)
    form = forms.ExposureForm(request.POST, prefix="ex")
    if not form.is_valid():
        messages.error(request, _("请填写暴露的问题和同类问题范围。"))
        return redirect("institutions:survey_detail", pk=pk)
    data = form.cleaned_data
    common = {
        "actor": request.user,
        "origin": finding,
        "label": _("专项调研“%(title)s”发现（%(inst)s）")
        % {"title": survey.title, "inst": finding.institution.short_name},
        "link": reverse("institutions:survey_detail", args=[survey.pk]),
        "topic": data["topic"],
        "similar_class": data["similar_class"],
    }
    try:
        if data["interview"]:
            interview = get_object_or_404(Interview.objects.for_user(request.user), pk=data["interview"])
            interview = interview_add_topic_from(interview=interview, institution=finding.institution, **common)
        else:
            interview = interview_start_from(institution=finding.institution, **common)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
        return redirect("institutions:survey_detail", pk=pk)
    messages.success(request, _("已记入约谈议题。"))
    return redirect("institutions:interview_detail", pk=interview.pk)


@login_required
@require_POST
def survey_close(request, pk):
    survey = get_survey_for_user(request, pk)
    try:
        svc.survey_close(actor=request.user, survey=survey)
    except (ValidationError, PermissionDenied) as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("调研已结束。"))
    return redirect("institutions:survey_detail", pk=pk)


@login_required
def survey_finding(request, pk):
    """A finding's page is its survey's (deadline links point here)."""
    finding = get_object_or_404(SurveyFinding.objects.only("survey_id"), pk=pk)
    survey = get_survey_for_user(request, finding.survey_id)
    return redirect("institutions:survey_detail", pk=survey.pk)
