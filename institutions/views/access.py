"""One access helper per model: scoped by organisation (outsiders get 404), with what the page needs."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.access import scope
from core.roles import is_office_user

from ..models import Institution, Interview, InterviewAttachment, QuarterlyList, Survey


def office_only(view):
    """The office's pages: mediators see only their mediation cases (docs/domain.md, "组织与角色")."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_office_user(request.user):
            raise PermissionDenied(_("调解员只能查看指派给自己的调解案件，不能查看机构、约谈、调研和清单。"))
        return view(request, *args, **kwargs)

    return wrapper


def visible_institutions(user):
    return scope(Institution.objects.all(), user).select_related("type", "org")


def get_interview_for_user(request, pk) -> Interview:
    return get_object_or_404(
        Interview.objects.for_user(request.user).select_related(
            "institution", "org", "owner", "backup", "trigger_rule", "verified_by"
        ),
        pk=pk,
    )


def get_attachment_for_user(request, pk) -> InterviewAttachment:
    attachment = get_object_or_404(InterviewAttachment.objects.select_related("interview__org"), pk=pk)
    if not Interview.objects.for_user(request.user).filter(pk=attachment.interview_id).exists():
        raise Http404
    return attachment


def get_survey_for_user(request, pk) -> Survey:
    return get_object_or_404(Survey.objects.for_user(request.user).select_related("org", "created_by"), pk=pk)


def get_list_for_user(request, pk) -> QuarterlyList:
    return get_object_or_404(
        QuarterlyList.objects.for_user(request.user).select_related(
            "org", "created_by", "submitted_by", "approved_by", "frozen_by", "supersedes"
        ),
        pk=pk,
    )
