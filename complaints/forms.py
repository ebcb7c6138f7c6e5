"""Forms of intake and of the case actions. Validation that needs the database lives in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import visible_orgs
from core.models import Category, PauseKind, User
from institutions.models import Institution
from institutions.picker import picker_options

from .models import Attachment, CaseStep, Contact
from .models.choices import CaseType, Channel, Decision, Finding, NoticeVia, PetitionKind, Satisfaction
from .selectors import choose_office_staff
from .services import ESCALATIONS
from .services.intake import MAX_REPRESENTATIVES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionPicker(forms.Select):
    """A plain <select> of institutions sorted by pinyin, each option carrying its search keys (data-keys).

    The page's script (static/core/combobox.js) turns it into an accessible combobox that finds an institution by
    full name, short name, pinyin or pinyin initials; without the script it is an ordinary select.
    """

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-combobox": "", **(attrs or {})}, choices)
        self.option_data: dict[str, tuple[str, str]] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        data = self.option_data.get(str(value))
        if data is not None:
            option["attrs"]["data-keys"], option["attrs"]["data-full-name"] = data
        return option


# Bootstrap classes per widget kind: the intake page renders its fields itself (complaints/fragment_intake_field.html).
_WIDGET_CLASS = {
    forms.CheckboxInput: "form-check-input",
    forms.RadioSelect: "form-check-input",
    forms.Select: "form-select",
    InstitutionPicker: "form-select",
    forms.HiddenInput: "",
}


class IntakeForm(forms.Form):
    """One page for every channel; which fields apply and which are required depends on the channel, the outcome
    and the case type (complaints.services.intake_rules). The service validates; this form only parses."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    received_at = forms.DateTimeField(
        label=_("接收时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reference_no = forms.CharField(label=_("来文/工单编号"), max_length=60, required=False)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "data-check": "phone"}),
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-check": "resident-id"}),
    )
    is_anonymous = forms.BooleanField(label=_("匿名（仅限举报）"), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    institution = forms.ModelChoiceField(
        label=_("涉及机构"), queryset=Institution.objects.none(), required=False, widget=InstitutionPicker
    )
    summary = forms.CharField(label=_("事项摘要"), max_length=200)
    content = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    topic = forms.ChoiceField(label=_("事项类别"), choices=Contact.Topic.choices, initial=Contact.Topic.COMPLAINT)
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=Contact.Outcome.choices,
        initial=Contact.Outcome.OPENED_CASE,
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    case_type = forms.ChoiceField(
        label=_("案件类型"), choices=[("", "—"), *CaseType.choices], required=False, initial=CaseType.COMPLAINT
    )
    petition_kind = forms.ChoiceField(label=_("信访类别"), choices=[("", "—"), *PetitionKind.choices], required=False)
    materials_complete = forms.BooleanField(label=_("举报材料齐全"), required=False, initial=True)
    business = forms.ModelChoiceField(label=_("业务类别"), queryset=Category.objects.none(), required=False)
    cause = forms.ModelChoiceField(label=_("投诉原因"), queryset=Category.objects.none(), required=False)
    # Not required: a phone call has no 人数 on the page (the field is hidden and not sent); one person is assumed.
    group_size = forms.IntegerField(label=_("人数"), min_value=1, max_value=9999, initial=1, required=False)
    amount_involved = forms.DecimalField(
        label=_("涉及金额（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    owner = forms.ModelChoiceField(label=_("A岗（承办人）"), queryset=User.objects.none(), required=False)
    repeat_of = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        institutions = Institution.objects.active().filter(org__in=visible_orgs(user))
        self.fields["institution"].queryset = institutions
        options = picker_options(institutions.only("pk", "short_name", "full_name"))
        picker = self.fields["institution"].widget
        picker.option_data = {str(o.pk): (o.keys, o.full_name) for o in options}
        self.fields["institution"].choices = [("", "—"), *((o.pk, o.short_name) for o in options)]
        self.fields["business"].queryset = Category.objects.of_kind("business").valid_on(today).order_by("sort_order")
        self.fields["cause"].queryset = Category.objects.of_kind("cause").valid_on(today).order_by("sort_order")
        self.fields["owner"].queryset = User.objects.filter(org=user.org, is_active=True).order_by("username")
        for index in range(1, MAX_REPRESENTATIVES + 1):
            self.fields[f"rep{index}_name"] = forms.CharField(
                label=_("代表%(n)s 姓名") % {"n": index}, max_length=50, required=False
            )
            self.fields[f"rep{index}_id_number"] = forms.CharField(
                label=_("代表%(n)s 身份证号") % {"n": index},
                max_length=18,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off", "data-check": "resident-id"}),
            )
            self.fields[f"rep{index}_phone"] = forms.CharField(
                label=_("代表%(n)s 电话") % {"n": index},
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "data-check": "phone"}),
            )
        for name, field in self.fields.items():
            css = _WIDGET_CLASS.get(type(field.widget), "form-control")
            if css:
                field.widget.attrs.setdefault("class", css)
            # The live check of a field writes its message into this element (see complaints/intake.html).
            if field.widget.attrs.get("data-check"):
                field.widget.attrs["aria-describedby"] = f"id_{name}_error"

    def representatives(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "name": data.get(f"rep{i}_name", ""),
                "id_number": data.get(f"rep{i}_id_number", ""),
                "phone": data.get(f"rep{i}_phone", ""),
            }
            for i in range(1, MAX_REPRESENTATIVES + 1)
        ]

    def rep_rows(self):
        return [
            (self[f"rep{i}_name"], self[f"rep{i}_id_number"], self[f"rep{i}_phone"])
            for i in range(1, MAX_REPRESENTATIVES + 1)
        ]


class RepeatQueryForm(forms.Form):
    id_number = forms.CharField(max_length=18, required=False)
    phone = forms.CharField(max_length=20, required=False)
    institution = forms.IntegerField(required=False)


# --- Case actions ----------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Every case action carries the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        kwargs.setdefault("initial", {})
        if case is not None:
            kwargs["initial"].setdefault("version", case.version)
        super().__init__(*args, **kwargs)


def _text(label, rows=2, required=True):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required)


class NoteForm(ActionForm):
    note = _text(_("说明"), required=False)


class ProgressForm(ActionForm):
    note = _text(_("办理情况"))


class PetitionAcceptForm(ActionForm):
    route = _text(_("办理途径（告知信访人）"))


class ReasonForm(ActionForm):
    reason = _text(_("理由"))


class NonAcceptForm(ActionForm):
    reason = _text(_("不予受理理由"))
    legal_basis = forms.CharField(label=_("依据"), max_length=200, required=False)


class NotOurRemitForm(ActionForm):
    mode = forms.ChoiceField(
        label=_("处理方式"),
        choices=[("redirect", _("告知向有权机关提出")), ("objection", _("向交办机关提出异议"))],
        widget=forms.RadioSelect,
        initial="redirect",
    )
    body = _text(_("有权处理的机关 / 异议理由"))


class DuplicateForm(ActionForm):
    first_number = forms.CharField(label=_("首次案件编号"), max_length=20)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, max_value=60)
    reason = _text(_("延期理由（将告知当事人）"))


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准")), ("reject", _("不批准"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class PetitionReplyForm(ActionForm):
    request = _text(_("信访人请求"))
    facts = _text(_("查明事实"), rows=3)
    decision = forms.ChoiceField(label=_("处理意见"), choices=Decision.choices, widget=forms.RadioSelect)
    legal_basis = _text(_("处理依据"))


class DateNoteForm(ActionForm):
    on = forms.DateField(label=_("日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class MaterialsRequestForm(ActionForm):
    missing = _text(_("需补充的材料"))


class ReportAcceptForm(ActionForm):
    note = _text(_("受理说明"), required=False)


class ReportFindingForm(ActionForm):
    finding = forms.ChoiceField(label=_("调查结论"), choices=Finding.choices, widget=forms.RadioSelect)
    facts = _text(_("调查认定的事实"), rows=3)
    measures = _text(_("处理措施"), required=False)


class NotFutureDates:
    """Dates of things that already happened (a notice, a withdrawal, an approval) cannot be after today; the
    services check the same, with the earliest date each allows."""

    past_dates: tuple[str, ...] = ()

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in self.past_dates:
            value = cleaned.get(name)
            if value is not None and value > today:
                self.add_error(name, _("日期不能晚于今天。"))
        return cleaned


class ForwardForm(NotFutureDates, ActionForm):
    past_dates = ("told_on",)
    told_via = forms.ChoiceField(label=_("告知投诉人方式"), choices=NoticeVia.choices, widget=forms.RadioSelect)
    told_on = forms.DateField(label=_("告知投诉人日期"), widget=DATE)
    requirement = _text(_("办理要求"), required=False)


class AcknowledgeForm(ActionForm):
    on = forms.DateField(label=_("签收日期"), widget=DATE, required=False)
    acknowledged_by = forms.CharField(label=_("机构签收人"), max_length=50, required=False)


class InstitutionExtendForm(NotFutureDates, ActionForm):
    past_dates = ("approved_on",)
    level = forms.ChoiceField(
        label=_("延期情形"),
        choices=[("complex", _("复杂（延长至30日）")), ("very_complex", _("特别复杂（再延长30日）"))],
        widget=forms.RadioSelect,
    )
    reason = _text(_("延期原因"))
    approved_by = forms.CharField(
        label=_("审批人（特别复杂的：上级机构或总行、总公司高级管理人员）"), max_length=100, required=False
    )
    approved_on = forms.DateField(label=_("审批日期"), widget=DATE, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("level") == "very_complex" and not (cleaned.get("approved_by") or "").strip():
            self.add_error(
                "approved_by", _("延长至共60日须经机构的上级机构或总行、总公司高级管理人员审批：请填写审批人。")
            )
        return cleaned


class RestartForm(NotFutureDates, ActionForm):
    past_dates = ("received_on",)
    received_on = forms.DateField(label=_("机构收到新事实、新理由的日期"), widget=DATE)
    facts = _text(_("新事实、新理由"))


class WithdrawForm(NotFutureDates, ActionForm):
    past_dates = ("on",)
    via = forms.ChoiceField(label=_("撤回方式"), choices=NoticeVia.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("撤回日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class CheckRequestForm(NotFutureDates, ActionForm):
    past_dates = ("requested_on",)
    requested_on = forms.DateField(label=_("申请核查日期"), widget=DATE)
    office = forms.CharField(label=_("核查机构（被投诉机构的上级机构）"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class CheckResultForm(NotFutureDates, ActionForm):
    past_dates = ("on",)
    on = forms.DateField(label=_("核查结果日期"), widget=DATE)
    result = _text(_("核查结果"), rows=3)


class ToReportForm(ActionForm):
    note = _text(_("转为举报办理的理由"))


class InstitutionReplyForm(ActionForm):
    on = forms.DateField(label=_("反馈日期"), widget=DATE, required=False)
    result = _text(_("机构处理结果"), rows=3)


class FollowUpForm(ActionForm):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    on = forms.DateField(label=_("回访日期"), widget=DATE, required=False)
    note = forms.CharField(label=_("回访情况"), max_length=500, required=False)


class EscalateForm(ActionForm):
    route = forms.ChoiceField(
        label=_("升级方式"), choices=list(ESCALATIONS.items()), initial="other", widget=forms.RadioSelect
    )
    note = _text(_("原因"))


class CloseForm(ActionForm):
    result = _text(_("办理结果"), required=False)


class StepStartForm(ActionForm):
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            choose_office_staff(self.fields["owner"], case.org_id)
            self.fields["owner"].initial = case.owner_id


class StepCompleteForm(ActionForm):
    note = _text(_("结论/内容"))


class ReassignForm(ActionForm):
    owner = forms.ModelChoiceField(label=_("A岗"), queryset=User.objects.none())
    backup = forms.ModelChoiceField(label=_("B岗"), queryset=User.objects.none(), required=False)
    reason = forms.CharField(label=_("调整原因"), max_length=200)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            choose_office_staff(self.fields["owner"], case.org_id)
            choose_office_staff(self.fields["backup"], case.org_id)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    step = forms.ModelChoiceField(label=_("所属环节"), queryset=CaseStep.objects.none(), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["step"].queryset = case.steps.all()


# --- Pausing the clock (docs/domain.md「暂停计时」) ------------------------------------------------------


class ClockPauseForm(ActionForm):
    kind = forms.ChoiceField(label=_("暂停事由"), choices=PauseKind.choices)
    reason = forms.CharField(label=_("具体原因"), max_length=200)
    start_on = forms.DateField(label=_("暂停开始日期（该日起不计时）"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_on"].initial = timezone.localdate()


class ClockResumeForm(ActionForm):
    end_on = forms.DateField(label=_("暂停截止日期（最后一个不计时的日期）"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_on"].initial = timezone.localdate()


class MarkMajorForm(ActionForm):
    reason = forms.CharField(label=_("认定理由"), max_length=200)


class UrgentReportForm(ActionForm):
    facts = forms.CharField(label=_("基本事实（时间、地点、人数、诉求）"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("已采取的措施"), widget=forms.Textarea(attrs={"rows": 3}))


class ExposureInterviewForm(ActionForm):
    """暴露一件、自查一批: start an interview of the case's institution, or add the problem to one not yet held."""

    interview = forms.ChoiceField(label=_("约谈"), required=False)
    topic = forms.CharField(label=_("暴露的问题（约谈议题）"), widget=forms.Textarea(attrs={"rows": 2}))
    similar_class = forms.CharField(label=_("要求机构自查的同类问题范围"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, interviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("发起新的约谈"))]
        for interview in interviews:
            when = f"{interview.scheduled_at:%Y-%m-%d}" if interview.scheduled_at else interview.get_status_display()
            choices.append((str(interview.pk), _("加入已安排的约谈（%(when)s）") % {"when": when}))
        self.fields["interview"].choices = choices
