from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("security/", views.account, name="account"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/enrol/", views.otp_enrol, name="otp_enrol"),
    path("2fa/remove/", views.otp_remove, name="otp_remove"),
]
