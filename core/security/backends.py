"""The signed-in user of each request, with their roles and unit, in one query (docs/performance.md
「2026-12-06 第六轮」).

Django's `ModelBackend.get_user` reads the user; the navigation then reads the user's groups (the roles) and unit,
each one more query on every page. `SessionUserBackend` reads the three as one `UNION ALL` whose SQL is compiled once
per process (`core.rows.fetch_prepared`) and puts the roles and the unit in the caches `core.roles.prime_user_caches`
fills, so nothing later in the request asks again. Signing in is `ModelBackend`'s own.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import router

from core.models import OrgUnit, User
from core.roles import prime_user_caches
from core.rows import Slot, fetch_prepared


def _querysets():
    return {
        # A user's default ordering crosses to the unit (org__path), which a compound query cannot sort by.
        "user": User.objects.filter(pk=Slot("user")).order_by("pk"),
        "org": OrgUnit.objects.filter(users=Slot("user")),
        "groups": Group.objects.filter(user=Slot("user")),
    }


class SessionUserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = fetch_prepared("session-user", _querysets, {"user": user_id}, using=router.db_for_read(User))
        if not rows["user"] or not self.user_can_authenticate(rows["user"][0]):
            return None
        user = rows["user"][0]
        org = rows["org"][0] if rows["org"] else None
        prime_user_caches(user, group_names=[group.name for group in rows["groups"]], org=org)
        if org is None:
            # A user without a unit: `user.org` is None without asking again.
            user._meta.get_field("org").set_cached_value(user, None)
        return user
