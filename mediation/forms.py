from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import BoundedDateField
from core.personal import validate_phone, validate_resident_id

from .models import MediationCase, Mediator, Mode, Outcome, PartnerKind, PartnerOrganisation, Side, Source, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegisterForm(forms.Form):
    """A direct application or a court referral (委派 / 委托)."""

    source = forms.ChoiceField(
        label=_("来源"), choices=[c for c in Source.choices if c[0] != Source.REFERRED], initial=Source.DIRECT
    )
    referring_partner = forms.ModelChoiceField(
        label=_("委派/委托法院"), queryset=PartnerOrganisation.objects.none(), required=False
    )
    court_case_number = forms.CharField(label=_("法院案号（诉中委托必填）"), max_length=60, required=False)
    summary_procedure = forms.BooleanField(label=_("适用简易程序（诉中委托调解期限为7日，否则15日）"), required=False)
    received_on = forms.DateField(label=_("收案日期"), widget=DATE)
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=50)
    applicant_id_number = forms.CharField(label=_("申请人身份证号"), max_length=18, required=False)
    applicant_phone = forms.CharField(label=_("申请人电话"), max_length=20, required=False)
    applicant_address = forms.CharField(label=_("申请人地址"), max_length=200, required=False)
    institution = forms.ModelChoiceField(label=_("被申请机构"), queryset=None)
    respondent_representative = forms.CharField(label=_("被申请人联系人"), max_length=50, required=False)
    summary = forms.CharField(label=_("纠纷摘要"), max_length=200)
    facts = forms.CharField(label=_("纠纷事实"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    claims = forms.CharField(label=_("申请人请求"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    amount_claimed = forms.DecimalField(
        label=_("请求金额（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )

    def __init__(self, *args, institutions, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["referring_partner"].queryset = partners.filter(kind=PartnerKind.COURT, active=True)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_applicant_id_number(self):
        value = self.cleaned_data["applicant_id_number"]
        return validate_resident_id(value) if value else ""

    def clean_applicant_phone(self):
        value = self.cleaned_data["applicant_phone"]
        return validate_phone(value) if value else ""


class CaseActionForm(forms.Form):
    """A form of the case page's actions: built with the case, whose state gives the choices and first values."""

    def __init__(self, *args, case: MediationCase, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class SessionActionForm(CaseActionForm):
    """An action on one of the case's sessions (an offer, a private note): the session travels as a hidden field."""

    session = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)

    def __init__(self, *args, case: MediationCase, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["session"].queryset = case.sessions.all()


class ConsentForm(CaseActionForm):
    side = forms.ChoiceField(label=_("当事人"), choices=Side.choices)
    consent_on = forms.DateField(label=_("同意日期"), widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["consent_on"].initial = timezone.localdate()


class AssignForm(CaseActionForm):
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=Mediator.objects.none())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["mediator"].queryset = (
            Mediator.objects.active().filter(partner__org=case.org).select_related("partner")
        )


class RecusalForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("是否存在应当回避的情形"),
        choices=[("0", _("不存在：本人与当事人及案件无利害关系，签收材料并开展调解")), ("1", _("存在：申请回避"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("声明内容"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_("本人与本案当事人及其代理人无近亲属关系，与本案无利害关系，不存在可能影响公正调解的情形。"),
    )


class OfficeRecusalForm(CaseActionForm, RecusalForm):
    """The office records the signed paper declaration of a mediator without an account, with its date."""

    declared_on = forms.DateField(label=_("声明签署日期"), widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["declared_on"].initial = timezone.localdate()


class ExtendForm(CaseActionForm):
    # Each extension needs both parties' consent on record; court mediation has no cap on the total (docs/domain.md
    # "纠纷调解"), so one entry is bounded only as a plausible input, and more entries may follow.
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("理由"), max_length=200)
    applicant_consent_on = forms.DateField(label=_("申请人同意日期"), widget=DATE, required=False)
    respondent_consent_on = forms.DateField(label=_("被申请人同意日期"), widget=DATE, required=False)


class AgentForm(CaseActionForm):
    side = forms.ChoiceField(label=_("代理哪一方"), choices=Side.choices)
    name = forms.CharField(label=_("代理人姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    authority = forms.CharField(label=_("代理权限"), max_length=100, required=False, initial=_("一般代理"))
    document = forms.FileField(label=_("授权委托书（PDF或图片）"))


class SessionForm(CaseActionForm):
    held_at = forms.DateTimeField(
        label=_("调解时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    mode = forms.ChoiceField(label=_("方式"), choices=Mode.choices)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("调解笔录"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["held_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class OfferForm(SessionActionForm):
    side = forms.ChoiceField(label=_("提出方"), choices=Side.choices)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=14, decimal_places=2)
    terms = forms.CharField(label=_("方案内容"), max_length=200, required=False)
    is_counter_offer = forms.BooleanField(label=_("还价"), required=False)


class PrivateNoteForm(SessionActionForm):
    side = forms.ChoiceField(label=_("当事人"), choices=Side.choices)
    text = forms.CharField(label=_("单独沟通记录（仅调解员可见）"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(CaseActionForm):
    outcome = forms.ChoiceField(label=_("调解结果"), choices=Outcome.choices)
    concluded_on = forms.DateField(label=_("结案（协议签订）日期"), widget=DATE)
    disputed_points = forms.CharField(label=_("争议焦点"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agreement_terms = forms.CharField(
        label=_("协议内容（达成协议时填写）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    amount_agreed = forms.DecimalField(
        label=_("协议金额（元）"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    performance_method = forms.CharField(label=_("履行方式"), max_length=200, required=False)
    performance_due_on = forms.DateField(label=_("履行期限"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("说明（未达成协议时必填）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, case: MediationCase, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["concluded_on"].initial = timezone.localdate()
        self.fields["disputed_points"].initial = case.disputed_points
        if case.status != Status.MEDIATING:
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.AGREEMENT]


class ConfirmationForm(CaseActionForm):
    applied_on = forms.DateField(label=_("申请司法确认日期"), widget=DATE)
    court = forms.CharField(label=_("法院"), max_length=100)
    case_number = forms.CharField(label=_("案号"), max_length=60, required=False)
    ruling = forms.CharField(label=_("裁定结果"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    ruled_on = forms.DateField(label=_("裁定日期"), widget=DATE, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["applied_on"].initial = case.confirmation_applied_on
        self.fields["court"].initial = case.confirmation_court or _("莱州市人民法院")
        self.fields["case_number"].initial = case.confirmation_case_number


class WaiveConfirmationForm(CaseActionForm):
    reason = forms.CharField(label=_("说明"), max_length=200, initial=_("当事人不申请司法确认"))


class ReturnToCourtForm(CaseActionForm):
    returned_on = forms.DateField(label=_("退回法院日期"), widget=DATE)
    note = forms.CharField(
        label=_("移送说明（接收人、移送方式等）"),
        max_length=200,
        initial=_("调解协议及案卷材料移送委托法院，由法院依法出具调解书"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()


class PaymentForm(CaseActionForm):
    paid_on = forms.DateField(label=_("履行日期"), widget=DATE)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0.01, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class PeriodForm(forms.Form):
    start = BoundedDateField(label=_("收案日期自"), widget=DATE, required=False)
    end = BoundedDateField(label=_("至"), widget=DATE, required=False)

    def period(self):
        today = timezone.localdate()
        start = today.replace(month=1, day=1)
        end = today
        if self.is_valid():
            start = self.cleaned_data["start"] or start
            end = self.cleaned_data["end"] or end
        if end < start:
            start, end = end, start
        return start, end


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("open", _("进行中")), *Status.choices]
    )
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部")), *Source.choices])
    mediator = forms.ModelChoiceField(label=_("调解员"), required=False, queryset=Mediator.objects.none())
    q = forms.CharField(label=_("编号/摘要/案号"), required=False)
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    # The statistics reports link here with these (docs/domain.md, "信访投诉统计").
    outcome = forms.ChoiceField(label=_("调解结果"), required=False, choices=[("", _("全部")), *Outcome.choices])
    received_from = BoundedDateField(label=_("收案日期自"), required=False, widget=DATE)
    received_to = BoundedDateField(label=_("收案日期至"), required=False, widget=DATE)
    org = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediators
