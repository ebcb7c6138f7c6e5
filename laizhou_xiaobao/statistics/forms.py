import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import MAX_YEAR, MIN_YEAR

from .models import YEAR
from .services import SUMMARY_MAX_LENGTH

_PERIOD_RE = re.compile(r"^(\d{4})(?:[Qq]([1-4]))?$")


class PeriodForm(forms.Form):
    """A quarter ("2026Q3") or a year ("2026")."""

    period = forms.CharField(label=_("统计期间"), max_length=6, help_text=_("季度如 2026Q3，全年如 2026"))

    def clean_period(self):
        match = _PERIOD_RE.match(self.cleaned_data["period"].strip())
        if not match or not MIN_YEAR <= int(match.group(1)) <= MAX_YEAR:
            raise forms.ValidationError(_("统计期间格式应为“2026Q3”（季度）或“2026”（全年）。"))
        return int(match.group(1)), int(match.group(2) or YEAR)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("工作小结"), max_length=SUMMARY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)
