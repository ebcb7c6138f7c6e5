from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Absence, User
from core.models.deadlines import CountKind


class DeadlineCalculatorForm(forms.Form):
    start = forms.DateField(label=_("起算日（当日不计入）"), widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=_("期限天数"), min_value=1, max_value=3650)
    kind = forms.ChoiceField(label=_("计算方式"), choices=CountKind.choices, initial=CountKind.CALENDAR)


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["user", "start_on", "end_on", "kind", "note"]
        widgets = {
            "start_on": forms.DateInput(attrs={"type": "date"}),
            "end_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else User.objects.none()

    def clean(self):
        cleaned = super().clean()
        start_on, end_on = cleaned.get("start_on"), cleaned.get("end_on")
        if start_on and end_on and end_on < start_on:
            self.add_error("end_on", _("结束日期不能早于开始日期。"))
        return cleaned
