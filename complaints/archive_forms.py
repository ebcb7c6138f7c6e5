"""Forms of the archive (docs/domain.md, "归档"): filing, supplements, destruction decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import ActionForm
from .models import CaseSupplement


class FileForm(ActionForm):
    """归档. The reason is needed only when the check finds something missing, and only a supervisor may give it."""

    approval_reason = forms.CharField(
        label=_("材料不全仍归档的理由（支局负责人填写）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    permanent = forms.BooleanField(label=_("永久保管（支局负责人决定）"), required=False)
    permanent_reason = forms.CharField(label=_("永久保管理由"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("permanent") and not (data.get("permanent_reason") or "").strip():
            self.add_error("permanent_reason", _("请填写永久保管的理由。"))
        return data


class SupplementForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CaseSupplement.Kind.choices)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class DestructionProposeForm(forms.Form):
    reason = forms.CharField(
        label=_("销毁理由"),
        max_length=500,
        initial=_("保管期限已满，经鉴定无继续保存价值"),
    )


class DestructionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准销毁")), ("reject", _("不予销毁"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class ArchiveYearForm(forms.Form):
    """The archive list's period and office; the office must be one the user sees (checked by the view)."""

    year = forms.IntegerField(label=_("归档年度"), min_value=1900, max_value=2100)
    org = forms.IntegerField(label=_("单位"), required=False)
