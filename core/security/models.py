from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountSecurity(models.Model):
    """The security state of one account: whether its password must change, when it last changed, the last
    successful login, and the session a new login ends (README「安全」)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="security"
    )
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("管理员设置或重置的密码，用户第一次登录时必须修改。"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("上次成功登录时间"), null=True, blank=True)
    last_login_address = models.GenericIPAddressField(_("上次成功登录地址"), null=True, blank=True)
    session_key = models.CharField(_("当前会话"), max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("账号安全")
        verbose_name_plural = _("账号安全")

    def __str__(self):
        return str(self.user)


class PasswordHistory(models.Model):
    """The hash of each password an account has had; a new password may not repeat the last few."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"
