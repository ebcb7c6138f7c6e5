from core.services.notifications import unread_count


def notifications(request):
    """The unread count for the navbar bell: one query, lazily on first use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    cache = {}

    def count():
        if "n" not in cache:
            cache["n"] = unread_count(user.pk)
        return cache["n"]

    return {"unread_notification_count": count}
