"""Login throttling in three layers on top of django-axes (README「安全」登录限制).

Axes counts the failures of each combination in AXES_LOCKOUT_PARAMETERS — (username, address), username,
address — but compares them all with one limit. Here each combination has its own: a person mistyping at their
desk is locked after AXES_FAILURE_LIMIT, a username guessed from many addresses after
LOGIN_USERNAME_FAILURE_LIMIT, and an address trying many usernames (one office's shared address included) after
LOGIN_ADDRESS_FAILURE_LIMIT.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def layer_limits() -> list[int]:
    """One limit per entry of AXES_LOCKOUT_PARAMETERS, in the same order."""
    return [settings.AXES_FAILURE_LIMIT, settings.LOGIN_USERNAME_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT]


class LayeredLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures as axes compares them with AXES_FAILURE_LIMIT: reaching any layer's own limit counts as
        reaching it; otherwise the (username, address) count, kept below it."""
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limit = settings.AXES_FAILURE_LIMIT
        if any(count >= layer for count, layer in zip(counts, layer_limits(), strict=False)):
            return max(limit, counts[0])
        return min(counts[0], limit - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that username's failures from that address only: not its address's count of
        other usernames (or one valid account would let an address go on guessing), nor the username's failures
        from elsewhere (or the holder's login would lift a lock another address earned)."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
