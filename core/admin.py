from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core import admin_beat  # noqa: F401  (django-celery-beat's admin, in Chinese)
from core.admin_permissions import ChinesePermissionsMixin
from core.admin_security import SeparationOfDutiesUserMixin
from core.models import (
    Absence,
    BackgroundJob,
    Category,
    Deadline,
    DeadlineRule,
    OrgUnit,
    User,
    WorkCalendarDay,
    WorkCalendarYear,
)
from core.services.calendar import calendar_add_year_draft, year_has_holidays
from core.services.calendar_change import (
    calendar_change_apply,
    calendar_change_preview,
    calendar_year_preview,
    calendar_year_verify,
)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "full_name", "code", "level", "parent", "path"]
    list_filter = ["level"]
    search_fields = ["name", "full_name", "code", "short_name"]
    autocomplete_fields = ["parent"]
    fields = ["code", "name", "full_name", "short_name", "level", "parent", "address", "phone"]


@admin.register(User)
class UserAdmin(SeparationOfDutiesUserMixin, ChinesePermissionsMixin, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "name", "org", "post", "backup", "is_active", "is_staff"]
    list_filter = ["org", "groups", "is_active", "is_staff"]
    search_fields = ["username", "name", "post"]
    autocomplete_fields = ["org", "backup"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("name", "org", "post", "backup", "phone", "email")}),
        (_("角色与权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "name", "org", "password1", "password2")}),)


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind", "start_on", "end_on", "note", "created_by"]
    list_filter = ["kind", "user__org"]
    search_fields = ["user__name", "user__username", "note"]
    date_hierarchy = "start_on"
    autocomplete_fields = ["user"]
    readonly_fields = ["created_by"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "parent", "valid_from", "valid_to", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_editable = ["sort_order"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "days",
        "count_kind",
        "clock_start",
        "max_extension_days",
        "legal_source",
        "open_under_older_rule",
        "active",
    ]
    list_filter = ["count_kind", "active", "is_configurable_default"]
    search_fields = ["code", "name", "legal_source"]

    def get_queryset(self, request):
        older = Deadline.objects.open().made_under_older_rule().filter(rule=OuterRef("pk")).values("rule")
        counted = older.annotate(n=Count("pk")).values("n")
        return super().get_queryset(request).annotate(older_open=Coalesce(Subquery(counted), 0))

    @admin.display(description=_("按旧规则计算的未结期限"), ordering="older_open")
    def open_under_older_rule(self, rule):
        """Open deadlines that keep the days or counting this rule had when they were opened."""
        if not rule.older_open:
            return "—"
        url = reverse("admin:core_deadline_changelist")
        return format_html(
            '<a href="{}?rule__id__exact={}&status__exact=open&made_under=older">{} 件</a>',
            url,
            rule.pk,
            rule.older_open,
        )


class MadeUnderRuleFilter(admin.SimpleListFilter):
    title = _("计算所用规则")
    parameter_name = "made_under"

    def lookups(self, request, model_admin):
        return [("older", _("按旧规则计算（规则已修改）")), ("current", _("按现行规则计算"))]

    def queryset(self, request, queryset):
        older = queryset.made_under_older_rule()
        if self.value() == "older":
            return older
        if self.value() == "current":
            return queryset.filter(rule__isnull=False).exclude(pk__in=older.values("pk"))
        return queryset


class YearVerifyForm(forms.Form):
    confirm_no_holidays = forms.BooleanField(
        label=_("确认该年度没有法定节假日（几乎不可能：通常说明尚未录入国务院办公厅通知）"), required=False
    )


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(SimpleHistoryAdmin):
    """Years are verified through a page that first lists the open deadlines the verification recomputes."""

    list_display = ["year", "status", "holiday_count", "source", "revision", "updated_at", "verify_link"]
    list_filter = ["status"]
    # The status changes only through verification, which recomputes the deadlines the year made provisional.
    readonly_fields = ["year", "status", "revision", "updated_at"]
    actions = ["add_following_year", "mark_verified"]

    def has_add_permission(self, request):
        # A year is added whole (the action, or automatically when a deadline first reaches it), never empty.
        return False

    @admin.display(description=_("法定节假日天数"))
    def holiday_count(self, obj):
        return obj.days.filter(kind=WorkCalendarDay.Kind.HOLIDAY).count()

    @admin.display(description=_("核对"))
    def verify_link(self, obj):
        if obj.status == WorkCalendarYear.Status.VERIFIED:
            return "—"
        url = reverse("admin:core_workcalendaryear_verify", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("预览并核对"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/verify/",
                self.admin_site.admin_view(self.verify_view),
                name="core_workcalendaryear_verify",
            ),
            *super().get_urls(),
        ]

    def verify_view(self, request, object_id):
        year = get_object_or_404(WorkCalendarYear, pk=object_id)
        if not self.has_change_permission(request, year):
            raise PermissionDenied
        # An empty POST (nothing to confirm) is still a submission: bind the form whenever the method is POST.
        form = YearVerifyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                changed = calendar_year_verify(
                    actor=request.user, year=year, confirm_no_holidays=form.cleaned_data["confirm_no_holidays"]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                self.message_user(
                    request,
                    _("%(year)s 年已核对，%(n)s 个未结期限已重新计算，“暂定”标记已取消。")
                    % {"year": year.year, "n": len(changed)},
                )
                return redirect("admin:core_workcalendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("核对 %(year)s 年工作日历") % {"year": year.year},
            "calendar_year": year,
            "form": form,
            "has_holidays": year_has_holidays(year),
            "holidays": year.days.filter(kind__in=["holiday", "shifted_work", "shifted_rest"]).order_by("date"),
            "preview": calendar_year_preview(year=year),
            "days_url": reverse("admin:core_workcalendarday_changelist") + f"?year__year__exact={year.pk}",
        }
        return TemplateResponse(request, "admin/core/workcalendaryear/verify.html", context)

    @admin.action(description=_("新增所选年度的下一年（草稿：周一至周五减去预测的法定节假日，需按通知核对）"))
    def add_following_year(self, request, queryset):
        for calendar_year in queryset:
            try:
                calendar_add_year_draft(year=calendar_year.year + 1, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, exc.messages[0], messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("已新增 %(year)s 年草稿：请按国务院办公厅通知录入节假日和调休，再标记为已核对。")
                    % {"year": calendar_year.year + 1},
                    messages.WARNING,
                )

    @admin.action(description=_("核对并标记为已核对（先预览将重新计算的期限）"))
    def mark_verified(self, request, queryset):
        years = list(queryset.exclude(status=WorkCalendarYear.Status.VERIFIED))
        if len(years) != 1:
            self.message_user(request, _("请选择一个尚未核对的年度，逐年核对。"), messages.ERROR)
            return None
        return redirect("admin:core_workcalendaryear_verify", years[0].pk)


class CalendarCorrectionForm(forms.Form):
    is_working_day = forms.BooleanField(label=_("是否工作日"), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=WorkCalendarDay.Kind.choices)
    note = forms.CharField(label=_("说明"), max_length=60, required=False)
    source_notice = forms.CharField(label=_("依据通知"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        working_kinds = {WorkCalendarDay.Kind.WORKDAY, WorkCalendarDay.Kind.SHIFTED_WORKDAY}
        if cleaned.get("kind") and (cleaned["kind"] in working_kinds) != cleaned.get("is_working_day", False):
            raise forms.ValidationError(_("“是否工作日”与类型不一致：工作日和调休上班为工作日，其余为休息日。"))
        return cleaned


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(SimpleHistoryAdmin):
    """Days are corrected through a two-step page that first lists the open deadlines the change moves."""

    list_display = ["date", "weekday", "is_working_day", "kind", "note", "source_notice"]
    list_filter = ["year", "kind", "is_working_day"]
    search_fields = ["note", "source_notice"]
    date_hierarchy = "date"
    list_per_page = 62

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return "一二三四五六日"[obj.date.weekday()]

    def has_add_permission(self, request):
        # Whole years are added with the year action; single days are only corrected.
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="core_workcalendarday_correct",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:core_workcalendarday_correct", object_id)

    def correct_view(self, request, object_id):
        day = get_object_or_404(WorkCalendarDay, pk=object_id)
        if not self.has_change_permission(request, day):
            raise PermissionDenied
        initial = {f: getattr(day, f) for f in ("is_working_day", "kind", "note", "source_notice")}
        form = CalendarCorrectionForm(request.POST or None, initial=initial)
        preview = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if "_confirm" in request.POST:
                try:
                    moved = calendar_change_apply(actor=request.user, day=day, **data)
                except ValidationError as exc:
                    self.message_user(request, exc.messages[0], messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("%(date)s 已更正，%(n)s 个未结期限已重新计算。") % {"date": day.date, "n": len(moved)},
                    )
                    return redirect("admin:core_workcalendarday_changelist")
            preview = calendar_change_preview(day=day.date, is_working_day=data["is_working_day"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("更正工作日历：%(date)s") % {"date": day.date},
            "day": day,
            "form": form,
            "preview": preview,
            "history_url": reverse("admin:core_workcalendarday_history", args=[day.pk]),
        }
        return TemplateResponse(request, "admin/core/workcalendarday/correct.html", context)


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["label", "org", "rule", "computed_with", "started_on", "due_on", "status", "owner", "backup"]
    list_filter = ["status", "rule", MadeUnderRuleFilter, "org", "item_kind"]
    search_fields = ["label"]
    date_hierarchy = "due_on"
    list_select_related = ["org", "rule", "owner", "backup"]

    @admin.display(description=_("计算所用天数"))
    def computed_with(self, deadline):
        """The days and counting this deadline was computed with, marked when its rule has changed since."""
        text = f"{deadline.rule_days} {deadline.get_rule_count_kind_display()}"
        rule = deadline.rule
        if rule and (rule.days, rule.count_kind) != (deadline.rule_days, deadline.rule_count_kind):
            return format_html('{} <span class="badge text-bg-warning">{}</span>', text, _("旧规则"))
        return text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """后台任务: what waits for the message queue, what ran and how often; read-only, with a republish action."""

    list_display = ["created_at", "task_name", "target", "state", "publish_attempts", "runs", "finished_at"]
    list_filter = ["state", "task_name"]
    search_fields = ["task_id", "target"]
    readonly_fields = [field.name for field in BackgroundJob._meta.fields]
    actions = ["republish"]

    @admin.action(description=_("立即补发所选的待发送任务"))
    def republish(self, request, queryset):
        from core.services.jobs import publish

        jobs = list(queryset.filter(state=BackgroundJob.State.PENDING).values_list("pk", flat=True))
        sent = sum(1 for job_id in jobs if publish(job_id))
        if sent < len(jobs):
            self.message_user(
                request, _("消息队列仍不可用，%(n)s 个任务继续待发送。") % {"n": len(jobs) - sent}, messages.WARNING
            )
        else:
            self.message_user(request, _("已补发 %(n)s 个任务。") % {"n": sent})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
