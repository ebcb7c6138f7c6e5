import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import visible_orgs
from core.forms import AbsenceForm, DeadlineCalculatorForm
from core.models import Absence, User, WorkCalendarDay
from core.roles import Role, has_role
from core.services.absences import absence_record
from core.workcalendar import CalendarMissingError, get_calendar


@login_required
def deadline_calculator(request):
    form = DeadlineCalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        start, days, kind = form.cleaned_data["start"], form.cleaned_data["days"], form.cleaned_data["kind"]
        calendar = get_calendar()
        try:
            due_on = calendar.add_days(start, days, kind)
        except CalendarMissingError as exc:
            form.add_error(None, str(exc))
        except OverflowError:
            # A start near 9999-12-31: the due date would fall after the last date Python can represent.
            form.add_error("start", _("起算日过晚，期限届满日超出可计算的日期范围。"))
        else:
            rest_days = WorkCalendarDay.objects.filter(date__gt=start, date__lte=due_on, is_working_day=False).exclude(
                kind=WorkCalendarDay.Kind.WEEKEND
            )
            result = {
                "due_on": due_on,
                "weekday": "一二三四五六日"[due_on.weekday()],
                "moved": kind == "calendar" and due_on != start + dt.timedelta(days=days),
                "naive_due": start + dt.timedelta(days=days),
                "special_days": rest_days,
                "shifted_workdays": WorkCalendarDay.objects.filter(
                    date__gt=start, date__lte=due_on, kind=WorkCalendarDay.Kind.SHIFTED_WORKDAY
                ),
                # Years not yet verified were counted over their predicted draft: the date is provisional.
                "provisional_years": calendar.provisional_years(start, due_on),
            }
    return render(request, "core/deadline_calculator.html", {"form": form, "result": result})


def _absence_users(user):
    return User.objects.filter(org__in=visible_orgs(user), is_active=True).order_by("org__path", "username")


@login_required
def absence_list(request):
    can_manage = request.user.is_superuser or has_role(request.user, Role.SUPERVISOR, Role.ADMINISTRATOR)
    users = _absence_users(request.user) if can_manage else User.objects.filter(pk=request.user.pk)
    form = AbsenceForm(request.POST or None, users=users, initial={"user": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            _absence, warnings = absence_record(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        else:
            messages.success(request, _("缺岗已登记，期间由B岗代为办理。"))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("core:absence_list")
    today = timezone.localdate()
    absences = (
        Absence.objects.filter(user__in=_absence_users(request.user), end_on__gte=today - dt.timedelta(days=30))
        .select_related("user", "user__backup")
        .order_by("start_on")
    )
    return render(request, "core/absence_list.html", {"form": form, "absences": absences, "today": today})
