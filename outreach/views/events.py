import calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import scope
from core.params import month_param
from core.service_errors import form_errors, show_error

from .. import services
from ..forms import EventFilter, EventForm, PhotoUploadForm
from ..models import Event
from .access import get_event_for_user, get_photo_for_user

VIEW = "outreach.view_event"


@login_required
@permission_required(VIEW, raise_exception=True)
def index(request):
    """The landing page: events of the user's units, filtered, newest first."""
    events = scope(Event.objects.all(), request.user).select_related("campaign", "grid_cell__parent", "venue_type")
    event_filter = EventFilter(request.GET or None, queryset=events, user=request.user)
    page = Paginator(event_filter.qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/index.html",
        {
            "filter": event_filter,
            "page": page,
            "query": query.urlencode(),
            "can_record": request.user.has_perm("outreach.add_event"),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@permission_required("outreach.add_event", raise_exception=True)
def event_create(request):
    form = EventForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data}
        photos = data.pop("photos", [])
        try:
            event = services.event_create(actor=request.user, org=request.user.org, data=data, photos=photos)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已登记宣传活动“%(title)s”。") % {"title": event.title})
            return redirect("outreach:event_detail", pk=event.pk)
    return render(request, "outreach/event_form.html", {"form": form, "event": None})


@login_required
@permission_required("outreach.change_event", raise_exception=True)
def event_edit(request, pk):
    event = get_event_for_user(request, pk)
    form = EventForm(request.POST or None, instance=event, user=request.user, with_photos=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, data=form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect("outreach:event_detail", pk=event.pk)
    return render(request, "outreach/event_form.html", {"form": form, "event": event})


@login_required
@permission_required(VIEW, raise_exception=True)
def event_detail(request, pk):
    event = get_event_for_user(request, pk)
    return render(
        request,
        "outreach/event_detail.html",
        {
            "event": event,
            "photos": event.photos.all(),
            "photo_form": PhotoUploadForm(),
            "can_change": request.user.has_perm("outreach.change_event"),
        },
    )


@login_required
@require_POST
@permission_required("outreach.change_event", raise_exception=True)
def photo_upload(request, pk):
    event = get_event_for_user(request, pk)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = services.event_photo_add(
                actor=request.user,
                event=event,
                uploads=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("已上传 %(n)s 张照片。") % {"n": len(saved)})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("outreach:event_detail", pk=event.pk)


@login_required
@require_POST
@permission_required("outreach.delete_eventphoto", raise_exception=True)
def photo_delete(request, pk):
    photo = get_photo_for_user(request, pk)
    services.event_photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("已删除照片。"))
    return redirect("outreach:event_detail", pk=photo.event_id)


@login_required
@permission_required(VIEW, raise_exception=True)
def photo_file(request, pk, size):
    """Serve a photo or its thumbnail after checking that the user may see the event."""
    if size not in ("thumb", "original"):
        raise Http404
    photo = get_photo_for_user(request, pk)
    stored = photo.thumbnail if size == "thumb" else photo.file
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("照片文件不存在。")) from exc
    content_type = (
        "image/jpeg" if size == "thumb" else f"image/{'jpeg' if photo.extension == 'jpg' else photo.extension}"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _month_from(value: str | None) -> dt.date:
    return month_param(value, default=timezone.localdate().replace(day=1))


@login_required
@permission_required(VIEW, raise_exception=True)
def event_calendar(request):
    """A month of events laid out Monday to Sunday."""
    first = _month_from(request.GET.get("month"))
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    events = (
        scope(Event.objects.all(), request.user)
        .in_period(weeks[0][0], weeks[-1][-1])
        .select_related("campaign", "grid_cell__parent")
        .order_by("held_on", "starts_at", "id")
    )
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.held_on, []).append(event)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "outreach/calendar.html",
        {
            "month": first,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "previous": previous,
            "following": following,
            "today": timezone.localdate(),
            "month_events": sum(len(v) for d, v in by_day.items() if d.month == first.month),
        },
    )
