from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.security import views as security_views
from laizhou_xiaobao.dashboard.views import mywork

admin.site.site_header = _("莱州消保 管理后台")
admin.site.site_title = _("莱州消保")
admin.site.index_title = _("基础数据与参考表")
# The admin signs in through the one login page, with its second factor (core/security).
admin.site.login = security_views.admin_login

urlpatterns = [
    # The home page is the user's work list (我的待办), a page that spans the apps.
    path("", mywork.my_work, name="home"),
    path("accounts/login/", security_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", security_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("core.security.urls")),
    path("core/", include("core.urls")),
    path("complaints/", include("complaints.urls")),
    path("mediation/", include("mediation.urls")),
    path("institutions/", include("institutions.urls")),
    path("outreach/", include("outreach.urls")),
    path("dashboard/", include("laizhou_xiaobao.dashboard.urls")),
    path("statistics/", include("laizhou_xiaobao.statistics.urls")),
    path("admin/", admin.site.urls),
]
