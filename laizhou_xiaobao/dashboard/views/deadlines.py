"""期限清单: the open deadlines behind one number of the board, each linked to its item."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from core.services.deadlines import deadline_state
from core.workcalendar import get_calendar
from institutions.models import Institution

from .. import selectors
from ..links import item_link
from ..selectors.deadline_list import LIST_BUCKETS, DeadlineListForm, deadline_list, list_orgs
from ..selectors.mywork import _WORK_FIELDS

PAGE_SIZE = 50
_FIELDS = (*_WORK_FIELDS, "backup__name", "backup__username")


def _rows(page, today, calendar) -> list[dict]:
    soon = selectors.soon_working_days()
    return [
        {
            **row,
            "kind_label": selectors.item_kind_label(row["item_kind"]),
            "link": item_link(f"{row['content_type__app_label']}.{row['content_type__model']}", row["object_id"]),
            "state": deadline_state(
                row["due_on"],
                today,
                paused=row["paused_since"] is not None,
                provisional=bool(row["provisional_years"]),
                calendar=calendar,
                soon_working_days=soon,
            ),
        }
        for row in page
    ]


def _description(data: dict, orgs) -> list[str]:
    """The filters in words, for the page's heading."""
    parts = [str(LIST_BUCKETS[data.get("bucket") or "total"])]
    if data.get("org"):
        parts.append(orgs[0].short_name or orgs[0].name)
    if data.get("acting"):
        person = User.objects.filter(pk=data["acting"]).values_list("name", "username").first()
        parts.append(_("承办人：%s") % ((person[0] or person[1]) if person else "—"))
    if data.get("institution") == 0:
        parts.append(_("未涉及机构"))
    elif data.get("institution"):
        name = Institution.objects.filter(pk=data["institution"]).values_list("short_name", flat=True).first()
        parts.append(_("机构：%s") % (name or "—"))
    if data.get("kind"):
        parts.append(_("类型：%s") % selectors.item_kind_label(data["kind"]))
    return parts


@login_required
def deadline_list_view(request):
    if not selectors.can_see_dashboard(request.user):
        raise PermissionDenied(_("只有支局负责人、分局审阅人员和系统管理员可以查看督办看板。"))
    form = DeadlineListForm(request.GET)
    if not form.is_valid():
        context = {"error": _("筛选条件无效，请从督办看板上的数字进入。"), "rows": [], "description": []}
        return render(request, "dashboard/deadline_list.html", context, status=400)
    data = form.cleaned_data
    orgs = list_orgs(selectors.dashboard_orgs(request.user), data["org"])
    if not orgs:
        raise Http404
    today, calendar = timezone.localdate(), get_calendar()
    horizon = selectors.make_horizon(today, data["within"], calendar)
    deadlines = deadline_list([org.pk for org in orgs], data, horizon).order_by("due_on", "id").values(*_FIELDS)
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": _rows(page, today, calendar),
        "page": page,
        "query": query.urlencode(),
        "description": _description(data, orgs),
        "today": today,
    }
    return render(request, "dashboard/deadline_list.html", context)
