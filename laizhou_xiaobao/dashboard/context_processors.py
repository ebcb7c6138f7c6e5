from core.models import Notification


def notifications(request):
    """The unread count for the navbar bell: one query over the partial index, lazily on first use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    cache = {}

    def unread_count():
        if "n" not in cache:
            cache["n"] = Notification.objects.for_recipient(user).unread().count()
        return cache["n"]

    return {"unread_notification_count": unread_count}
