from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import scope
from core.service_errors import form_errors, show_error

from .. import services
from ..forms import MediaAwardForm, MediaWorkForm
from ..models import MediaWork
from .access import get_media_for_user

VIEW = "outreach.view_mediawork"


@login_required
@permission_required(VIEW, raise_exception=True)
def media_list(request):
    works = (
        scope(MediaWork.objects.all(), request.user)
        .annotate(award_count=Count("awards"))
        .order_by("-published_on", "-id")
    )
    page = Paginator(works, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/media_list.html",
        {"page": page, "can_record": request.user.has_perm("outreach.add_mediawork")},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def media_detail(request, pk):
    work = get_media_for_user(request, pk)
    return render(
        request,
        "outreach/media_detail.html",
        {
            "work": work,
            "awards": work.awards.all(),
            "award_form": MediaAwardForm(),
            "can_change": request.user.has_perm("outreach.change_mediawork"),
        },
    )


def _media_form(request, work=None):
    form = MediaWorkForm(request.POST or None, instance=work, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            work = services.media_work_save(actor=request.user, org=request.user.org, work=work, data=form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存宣传作品“%(title)s”。") % {"title": work.title})
            return redirect("outreach:media_detail", pk=work.pk)
    return render(request, "outreach/media_form.html", {"form": form, "work": work})


@login_required
@permission_required("outreach.add_mediawork", raise_exception=True)
def media_create(request):
    return _media_form(request)


@login_required
@permission_required("outreach.change_mediawork", raise_exception=True)
def media_edit(request, pk):
    return _media_form(request, get_media_for_user(request, pk))


@login_required
@require_POST
@permission_required("outreach.change_mediawork", raise_exception=True)
def media_award_add(request, pk):
    work = get_media_for_user(request, pk)
    form = MediaAwardForm(request.POST)
    if form.is_valid():
        try:
            services.media_award_add(actor=request.user, work=work, **form.cleaned_data)
        except ValidationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("已登记获奖情况。"))
            return redirect("outreach:media_detail", pk=work.pk)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("outreach:media_detail", pk=work.pk)
