from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令或备用码"),
        max_length=16,
        help_text=_(
            "打开手机上的身份验证器，输入其中显示的 6 位数字；手机不在身边时可输入一个备用码（每个只能用一次）。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("验证器显示的 6 位数字"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length really checked: Django sets the field's max_length after
    construction, which adds no validator, so an overlong name reached authenticate() and django-axes, whose
    attempt record holds 255 characters (a 500 on PostgreSQL)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(self.fields["username"].max_length))
