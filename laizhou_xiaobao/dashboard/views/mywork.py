from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.workcalendar import get_calendar

from .. import selectors


@login_required
def my_work(request):
    """我的待办 (the home page): the items the user acts on today, due soon and overdue first."""
    today = timezone.localdate()
    context = selectors.my_work(request.user, today, get_calendar(), request.GET.get("page"))
    context.update(today=today, can_see_dashboard=selectors.can_see_dashboard(request.user))
    return render(request, "core/home.html", context)
