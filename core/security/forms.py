from django import forms
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
