"""Per request, without a query for an account in good standing: the idle timeout, and the step an account
still owes (second factor, password change, enrolment) before it may open any other page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.security import services
from core.security.services import ENDED_NOTICE_KEY, PENDING_KEY, SEEN_KEY, STARTED_KEY, Step

STEP_URLS = {
    Step.OTP_VERIFY: "security:otp_verify",
    Step.PASSWORD_CHANGE: "security:password_change",
    Step.OTP_ENROL: "security:otp_enrol",
}
# The session's last activity is written at most this often (seconds), so that most requests save nothing.
SEEN_RESOLUTION = 60


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY not in request.session or not request.user.is_authenticated:
            notice = request.session.pop(ENDED_NOTICE_KEY, None)
            if notice:
                messages.warning(request, notice)
            return self.get_response(request)
        now = int(time.time())
        ended = self._ended(request, now)
        if ended:
            services.logout_recorded(request, reason=ended)
            logout(request)
            if ended == "idle":
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                text = _("已超过 %(minutes)d 分钟没有操作，已自动退出，请重新登录。") % {"minutes": minutes}
            else:
                hours = settings.SESSION_COOKIE_AGE // 3600
                text = _("本次登录已超过 %(hours)d 小时，请重新登录。") % {"hours": hours}
            messages.info(request, text)
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        seen = request.session.get(SEEN_KEY)
        if seen is None or now - seen >= SEEN_RESOLUTION:
            request.session[SEEN_KEY] = now
        if STARTED_KEY not in request.session:
            request.session[STARTED_KEY] = now
        step = request.session.get(PENDING_KEY)
        if step is None:
            step = services.refresh_pending(request)
        if step and not self._allowed_while_pending(request, step):
            return redirect(f"{reverse(STEP_URLS[step])}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _ended(request, now: int) -> str:
        """ "idle" after SESSION_IDLE_TIMEOUT without a request; "expired" SESSION_COOKIE_AGE after the login (the
        session store slides its own expiry whenever the session is saved, so the absolute limit is kept here)."""
        seen = request.session.get(SEEN_KEY)
        started = request.session.get(STARTED_KEY)
        if started is not None and now - started > settings.SESSION_COOKIE_AGE:
            return "expired"
        if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT:
            return "idle"
        return ""

    @staticmethod
    def _allowed_while_pending(request, step) -> bool:
        path = request.path
        open_paths = {reverse(STEP_URLS[step]), reverse("logout"), reverse("login")}
        return path in open_paths or path.startswith(settings.STATIC_URL)
