from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Notification
from core.services.notifications import notification_mark_all_read, notification_mark_read


def get_notification_for_user(request, pk) -> Notification:
    # A notification belongs to one person: anyone else gets 404.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user)
    if request.GET.get("unread"):
        notifications = notifications.unread()
    page = Paginator(notifications.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request, "dashboard/notification_list.html", {"page": page, "only_unread": bool(request.GET.get("unread"))}
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification as read, then open its link (or return to the list)."""
    notification = get_notification_for_user(request, pk)
    notification_mark_read(actor=request.user, notification=notification)
    target = notification.link if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("dashboard:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = notification_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(n)s 条通知标记为已读。") % {"n": count})
    return redirect("dashboard:notification_list")
