from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.access import scope
from core.models import Deadline

from ..models import Interview, QuarterlyList, Survey
from ..periods import previous_quarter, quarter_of
from ..services.common import is_staff_of
from .access import office_only, visible_institutions


@login_required
@office_only
def index(request):
    """The landing page: what needs attention in interviews and lists, and the way to every tool."""
    user = request.user
    today = timezone.localdate()
    interviews = Interview.objects.for_user(user)
    last_year, last_quarter = previous_quarter(*quarter_of(today))
    context = {
        "institution_count": visible_institutions(user).filter(is_active=True).count(),
        "proposed": interviews.filter(status=Interview.Status.PROPOSED).select_related("institution")[:10],
        "active_interviews": interviews.active()
        .exclude(status=Interview.Status.PROPOSED)
        .select_related("institution")[:10],
        "overdue_count": scope(Deadline.objects.overdue(today), user)
        .filter(item_kind__startswith="institutions.")
        .count(),
        "lists": QuarterlyList.objects.for_user(user).current().select_related("org")[:8],
        "surveys": Survey.objects.for_user(user).filter(status=Survey.Status.OPEN)[:5],
        "last_quarter": f"{last_year}Q{last_quarter}",
        "can_edit": user.org_id is not None and is_staff_of(user, user.org),
    }
    return render(request, "institutions/index.html", context)
