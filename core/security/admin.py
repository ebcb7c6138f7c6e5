"""账号安全 in the admin: see each account's state; reset a lost second factor; require a new password."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security import services
from core.security.models import AccountSecurity

# Devices are managed from the account's row (reset) and by their holder (enrolment): django-otp's own admin pages,
# in English and showing secrets, are not offered.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "two_factor",
        "must_change_password",
        "password_changed_at",
        "last_login_at",
        "last_login_address",
    ]
    list_filter = ["must_change_password"]
    search_fields = ["user__username", "user__name"]
    readonly_fields = ["user", "must_change_password", "password_changed_at", "last_login_at", "last_login_address"]
    actions = ["reset_two_factor", "require_password_change"]

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
        return super().get_queryset(request).select_related("user").annotate(has_device=Exists(enrolled))

    @admin.display(description=_("双因素认证"), boolean=True, ordering="has_device")
    def two_factor(self, obj):
        return obj.has_device

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重置双因素认证（删除验证器和备用码，下次登录重新绑定）"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        for security in queryset.select_related("user"):
            services.two_factor_reset(request, user=security.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("已重置 %d 个账号的双因素认证。", "已重置 %d 个账号的双因素认证。", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("要求下次登录修改密码"), permissions=["change"])
    def require_password_change(self, request, queryset):
        for security in queryset.select_related("user"):
            services.password_change_required(request, user=security.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%d 个账号下次登录须修改密码。", "%d 个账号下次登录须修改密码。", count) % count,
            messages.SUCCESS,
        )
