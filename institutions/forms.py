from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import BoundedDateField, BoundedDateTimeField

from .models import Institution, InterviewAttachment, ListItem
from .models.choices import Assessment, Polarity, RatingElement

DATE = {"type": "date"}


class PeriodForm(forms.Form):
    """A quarter ("2026Q3") or any period (from/to); the quarter wins when both are given."""

    quarter = forms.CharField(label=_("季度"), required=False, help_text=_("如 2026Q3"))
    start = BoundedDateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs=DATE))
    end = BoundedDateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs=DATE))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if not cleaned.get("quarter") and (start or end):
            if not (start and end):
                raise forms.ValidationError(_("自定义期间须同时填写起始和截止日期。"))
            if end < start:
                raise forms.ValidationError(_("截止日期不能早于起始日期。"))
            if (end - start).days > 366 * 3:
                raise forms.ValidationError(_("期间不能超过三年。"))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(label=_("机构信息Excel文件（.xlsx）"))


class InterviewCreateForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("约谈机构"), queryset=Institution.objects.none())
    reason = forms.CharField(label=_("约谈事由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()


class ScheduleForm(forms.Form):
    scheduled_at = BoundedDateTimeField(
        label=_("约谈时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    location = forms.CharField(label=_("地点"), required=False, max_length=100)
    attendees = forms.CharField(label=_("参加人员（机构高管及我局人员）"), widget=forms.Textarea(attrs={"rows": 2}))
    topics = forms.CharField(label=_("约谈议题"), widget=forms.Textarea(attrs={"rows": 2}))


class HeldForm(forms.Form):
    held_on = forms.DateField(label=_("约谈日期"), widget=forms.DateInput(attrs=DATE))
    record = forms.CharField(label=_("谈话记录"), widget=forms.Textarea(attrs={"rows": 4}))
    issues_found = forms.CharField(label=_("发现问题"), widget=forms.Textarea(attrs={"rows": 3}))


class SelfInspectionForm(forms.Form):
    scope = forms.CharField(label=_("自查要求（同类问题范围）"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("自查期限"), widget=forms.DateInput(attrs=DATE))


class SelfInspectionResultForm(forms.Form):
    done_on = forms.DateField(label=_("自查报告日期"), widget=forms.DateInput(attrs=DATE))
    result = forms.CharField(label=_("自查情况"), widget=forms.Textarea(attrs={"rows": 3}))
    items = forms.CharField(
        label=_("整改事项（每行一项：期限 事项，如“2026-12-31 规范理财产品双录”）"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_items(self):
        import datetime as dt

        parsed = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            date_text, _sep, description = line.partition(" ")
            try:
                due_on = dt.date.fromisoformat(date_text)
            except ValueError as exc:
                raise forms.ValidationError(
                    _("第 %(n)s 行应以日期开头（YYYY-MM-DD），后接空格和事项。") % {"n": number}
                ) from exc
            if not description.strip():
                raise forms.ValidationError(_("第 %(n)s 行缺少整改事项。") % {"n": number})
            parsed.append((description.strip(), due_on))
        if not parsed:
            raise forms.ValidationError(_("请至少列出一项整改事项。"))
        return parsed


class RectificationForm(forms.Form):
    description = forms.CharField(label=_("整改事项"), widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs=DATE))


class RectificationDoneForm(forms.Form):
    completed_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs=DATE))
    evidence_note = forms.CharField(label=_("整改证明"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=InterviewAttachment.Kind.choices)
    file = forms.FileField(label=_("文件"))


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("调研名称"), max_length=120)
    theme = forms.CharField(label=_("主题"), max_length=200)
    scope = forms.CharField(label=_("调研范围"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    started_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs=DATE))
    institutions = forms.ModelMultipleChoiceField(
        label=_("调研机构"), queryset=Institution.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institutions"].queryset = institutions if institutions is not None else Institution.objects.none()


class FindingForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("机构"), queryset=Institution.objects.none())
    element = forms.ChoiceField(label=_("评价要素"), choices=RatingElement.choices)
    description = forms.CharField(label=_("发现问题"), widget=forms.Textarea(attrs={"rows": 2}))
    suggestion = forms.CharField(label=_("监管建议"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up_due_on = forms.DateField(label=_("整改反馈期限"), required=False, widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions if institutions is not None else Institution.objects.none()


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("反馈日期"), widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label=_("整改反馈情况"), widget=forms.Textarea(attrs={"rows": 2}))


class ListCreateForm(forms.Form):
    quarter = forms.CharField(label=_("季度"), help_text=_("如 2026Q3"))


class ItemForm(forms.Form):
    element = forms.ChoiceField(label=_("评价要素"), choices=RatingElement.choices)
    description = forms.CharField(label=_("描述"), widget=forms.Textarea(attrs={"rows": 2}))


class ItemAddForm(ItemForm):
    polarity = forms.ChoiceField(label=_("正/负面"), choices=Polarity.choices)


class AssessmentForm(forms.Form):
    assessment = forms.ChoiceField(label=_("总体评价"), choices=Assessment.choices)
    note = forms.CharField(label=_("评价说明"), required=False, max_length=500)


class FindingToListForm(forms.Form):
    # Shown once per finding in a table row, without a visible label: named for screen readers instead.
    quarterly_list = forms.ModelChoiceField(
        label=_("列入清单（草稿）"),
        queryset=ListItem.objects.none(),
        widget=forms.Select(attrs={"aria-label": _("列入清单（草稿）")}),
    )

    def __init__(self, *args, lists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarterly_list"].queryset = lists


class ExposureForm(forms.Form):
    """暴露一件、自查一批 from a survey finding: a new interview, or a topic of one not yet held (its id)."""

    interview = forms.IntegerField(label=_("加入的约谈"), required=False)
    topic = forms.CharField(label=_("暴露的问题（约谈议题）"), widget=forms.Textarea(attrs={"rows": 2}))
    similar_class = forms.CharField(label=_("要求机构自查的同类问题范围"), widget=forms.Textarea(attrs={"rows": 2}))
