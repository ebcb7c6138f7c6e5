"""Forms of the petition's endings, its 复查/复核 and its transfers (the case page's actions and the register).

Dates are checked here as well as in the services: none may lie in the future.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import DATE, ActionForm, _text
from .models import Authority, PetitionReview, TellMethod
from .models.choices import Adoption


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天。"))
    return value


class PastDateField(forms.DateField):
    widget = DATE

    def clean(self, value):
        return _not_future(super().clean(value))


class SuggestionReplyForm(ActionForm):
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=Adoption.choices, widget=forms.RadioSelect)
    content = _text(_("答复内容（如何采纳，或不予采纳的理由）"), rows=3)


class AccusationResultForm(ActionForm):
    result = _text(_("办理结果"), rows=3)
    tell = forms.BooleanField(label=_("告知信访人办理结果（出具告知书）"), required=False, initial=True)
    not_told_reason = forms.CharField(label=_("不告知的依据"), max_length=300, required=False)


class ReviewRequestForm(ActionForm):
    kind = forms.ChoiceField(label=_("类别"), choices=PetitionReview.Kind.choices)
    requested_on = PastDateField(label=_("请求日期"))
    office = forms.CharField(label=_("受理机关"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None and case.reviews.filter(kind=PetitionReview.Kind.RECHECK).exists():
            # After the 复查 decision the next request can only be the 复核, at the office above.
            self.fields["kind"].initial = PetitionReview.Kind.REVIEW


class ReviewDecisionForm(ActionForm):
    decision = forms.ChoiceField(label=_("决定"), choices=PetitionReview.Decision.choices, widget=forms.RadioSelect)
    decided_on = PastDateField(label=_("决定日期"))
    note = forms.CharField(label=_("决定内容"), max_length=500, required=False)


class TransferForm(ActionForm):
    authority = forms.ChoiceField(label=_("接收机关类别"), choices=[("", "—"), *Authority.choices])
    authority_name = forms.CharField(label=_("接收机关名称"), max_length=100)
    reason = _text(_("转送理由"))


class TransferAcknowledgeForm(ActionForm):
    on = PastDateField(label=_("签收日期"))
    acknowledged_by = forms.CharField(label=_("签收人"), max_length=50)


class TransferTellForm(ActionForm):
    on = PastDateField(label=_("告知日期"))
    how = forms.ChoiceField(label=_("告知方式"), choices=[("", "—"), *TellMethod.choices])


class TransferFilterForm(forms.Form):
    """The transfers register's filters; every select starts blank (no filter)."""

    authority = forms.ChoiceField(
        label=_("接收机关类别"), choices=[("", _("全部")), *Authority.choices], required=False
    )
    start = forms.DateField(label=_("转送日期自"), widget=DATE, required=False)
    end = forms.DateField(label=_("至"), widget=DATE, required=False)
    acknowledged = forms.ChoiceField(
        label=_("签收情况"),
        choices=[("", _("全部")), ("yes", _("已签收")), ("no", _("未签收"))],
        required=False,
    )
    told = forms.ChoiceField(
        label=_("告知信访人"),
        choices=[("", _("全部")), ("yes", _("已告知")), ("no", _("未告知"))],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data
