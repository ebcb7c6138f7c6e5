from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import scope
from core.service_errors import form_errors

from .. import services
from ..forms import TrainingForm
from ..models import TrainingSession
from .access import get_training_for_user

VIEW = "outreach.view_trainingsession"


@login_required
@permission_required(VIEW, raise_exception=True)
def training_list(request):
    sessions = (
        scope(TrainingSession.objects.all(), request.user)
        .select_related("series")
        .annotate(
            staff_count=Count("attendee_users", distinct=True),
            institution_count=Count("attendee_institutions", distinct=True),
        )
        .order_by("-held_on", "-id")
    )
    page = Paginator(sessions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/training_list.html",
        {"page": page, "can_record": request.user.has_perm("outreach.add_trainingsession")},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def training_detail(request, pk):
    session = get_training_for_user(request, pk)
    return render(
        request,
        "outreach/training_detail.html",
        {
            "session": session,
            "users": session.attendee_users.all(),
            "institutions": session.attendee_institutions.all(),
            "can_change": request.user.has_perm("outreach.change_trainingsession"),
        },
    )


def _training_form(request, session=None):
    form = TrainingForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.training_save(
                actor=request.user, org=request.user.org, session=session, data=form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存培训“%(topic)s”。") % {"topic": session.topic})
            return redirect("outreach:training_detail", pk=session.pk)
    return render(request, "outreach/training_form.html", {"form": form, "session": session})


@login_required
@permission_required("outreach.add_trainingsession", raise_exception=True)
def training_create(request):
    return _training_form(request)


@login_required
@permission_required("outreach.change_trainingsession", raise_exception=True)
def training_edit(request, pk):
    return _training_form(request, get_training_for_user(request, pk))
