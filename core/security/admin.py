"""账号安全 in the admin: see each account's state; reset a lost second factor; require a new password."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.security import services
from core.security.models import AccountSecurity


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    list_display = ["user", "must_change_password", "password_changed_at", "last_login_at", "last_login_address"]
    list_filter = ["must_change_password"]
    search_fields = ["user__username", "user__name"]
    readonly_fields = ["user", "must_change_password", "password_changed_at", "last_login_at", "last_login_address"]
    actions = ["reset_two_factor", "require_password_change"]

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
