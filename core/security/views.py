"""Login, logout, password change and two-factor pages (README「安全」). Each view: form → one service call."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.security import services
from core.security.forms import EnrolForm, LoginForm, OtpForm
from core.security.middleware import STEP_URLS
from core.security.passwords import password_expired
from core.security.services import GREETING_KEY, PENDING_KEY, Step


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _continue(request, target: str):
    """To the next step still owed, else to where the person was going."""
    step = request.session.get(PENDING_KEY)
    if step:
        return redirect(f"{reverse(STEP_URLS[step])}?{urlencode({'next': target})}")
    _greet(request)
    return HttpResponseRedirect(target)


def _greet(request) -> None:
    """The last successful login, once the login is complete."""
    if not request.session.get(PENDING_KEY):
        greeting = request.session.pop(GREETING_KEY, None)
        if greeting:
            messages.info(request, greeting)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_failure_limit": settings.AXES_FAILURE_LIMIT}

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)
        services.login_completed(self.request, user)
        return _continue(self.request, self.get_success_url())

    def form_invalid(self, form):
        username = self.request.POST.get("username", "").strip()
        if username:
            locked = bool(getattr(self.request, "axes_locked_out", False))
            services.login_failed(self.request, username, locked=locked)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        services.logout_recorded(request)
        return super().post(request, *args, **kwargs)


def admin_login(request, extra_context=None):
    """The admin signs in through the same login page (second factor and all)."""
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    if request.user.is_authenticated and request.user.is_staff:
        return redirect(target)
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


@login_required
def password_change(request):
    forced = request.session.get(PENDING_KEY) == Step.PASSWORD_CHANGE
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request, new_password=form.cleaned_data["new_password1"], forced=forced)
        messages.success(request, _("密码已修改。"))
        return _continue(request, _next_url(request))
    security = services.account_security(request.user)
    expired = password_expired(security.password_changed_at)
    return render(
        request,
        "security/password_change.html",
        {"form": form, "forced": forced, "expired": expired, "next": _next_url(request)},
    )


@login_required
def otp_verify(request):
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.otp_verify(request, form.cleaned_data["token"]):
            return _continue(request, _next_url(request))
        form.add_error("token", _("动态口令不正确、已过期或已用过，请输入验证器上当前显示的数字。"))
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_enrol(request):
    device = services.enrolment_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.otp_enrol_confirm(request, device, form.cleaned_data["token"])
        if codes is not None:
            _greet(request)
            return render(request, "security/backup_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("数字不正确，请确认手机时间准确，并输入验证器上当前显示的数字。"))
    context = {
        "form": form,
        "qr_svg": services.qr_svg(device),
        "secret": services.secret_text(device),
        "required": services.requires_two_factor(request.user),
        "next": _next_url(request),
    }
    return render(request, "security/otp_enrol.html", context)


@login_required
def account(request):
    user = request.user
    security = services.account_security(user)
    context = {
        "security": security,
        "has_device": services.confirmed_totp(user) is not None,
        "required": services.requires_two_factor(user),
        "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
    }
    return render(request, "security/account.html", context)


@login_required
@require_POST
def otp_remove(request):
    if services.two_factor_remove(request):
        messages.success(request, _("已关闭双因素认证。"))
    else:
        messages.error(
            request, _("您的角色必须使用双因素认证，不能关闭；更换手机请重新绑定，丢失手机请联系管理员重置。")
        )
    return redirect("security:account")
