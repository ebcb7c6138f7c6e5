"""The audit log for the 审计管理员 (README 安全审计): search by time, actor, action and target; export to Excel.

Only the 审计管理员 opens these pages (`reads_audit_log`); a system administrator, a business user and a superuser
without the role get 403. An export is itself written to the log.
"""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_security import reads_audit_log
from core.exporters import Column, ListExporter, export_caption, xlsx_bytes, xlsx_response
from core.models import AuditEntry
from core.services.audit import log_action

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_current_timezone())


class AuditFilterForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("截止日期"), required=False, widget=DATE_INPUT)
    actor = forms.CharField(label=gettext_lazy("操作人（账号或姓名）"), required=False, max_length=50)
    action = forms.CharField(label=gettext_lazy("操作代码（前缀，如 auth. ）"), required=False, max_length=80)
    target_type = forms.ModelChoiceField(
        label=gettext_lazy("对象类型"), queryset=ContentType.objects.none(), required=False
    )
    target_id = forms.IntegerField(label=gettext_lazy("对象编号"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds of record the log names (a handful), ordered by app and model.
        named = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
        self.fields["target_type"].queryset = ContentType.objects.filter(pk__in=named).order_by("app_label", "model")
        self.fields["target_type"].label_from_instance = lambda ct: f"{ct.app_label} | {ct.name}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return cleaned

    def filter(self, entries):
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["start"]:
            entries = entries.filter(created_at__gte=_midnight(data["start"]))
        if data["end"]:
            entries = entries.filter(created_at__lt=_midnight(data["end"] + dt.timedelta(days=1)))
        if data["actor"]:
            entries = entries.filter(Q(actor__username=data["actor"]) | Q(actor__name__contains=data["actor"]))
        if data["action"]:
            entries = entries.filter(action__startswith=data["action"])
        if data["target_type"]:
            entries = entries.filter(content_type=data["target_type"])
        if data["target_id"]:
            entries = entries.filter(object_id=data["target_id"])
        return entries

    def describe(self) -> str:
        if not self.is_valid():
            return ""
        parts = [f"{self.fields[name].label}：{value}" for name, value in self.cleaned_data.items() if value]
        return "；".join(parts)


class AuditExporter(ListExporter):
    sheet_title = "操作日志"
    local_times = True
    columns = [
        Column("序号", 10, "int"),
        Column("时间", 18, "datetime"),
        Column("操作人", 12),
        Column("账号", 14),
        Column("单位", 16),
        Column("操作", 34),
        Column("对象类型", 14),
        Column("对象编号", 10, "int"),
        Column("来源地址", 16),
        Column("详情", 50),
        Column("本条哈希", 66),
    ]

    def __init__(self, entries):
        self.entries = entries

    def rows(self):
        for entry in self.entries.iterator(chunk_size=2000):
            content_type = entry.content_type
            yield [
                entry.sequence,
                timezone.localtime(entry.created_at).replace(tzinfo=None),
                entry.actor.name if entry.actor_id else "",
                entry.actor.username if entry.actor_id else "",
                str(entry.org) if entry.org_id else "",
                entry.action,
                f"{content_type.app_label}.{content_type.model}" if content_type else "",
                entry.object_id,
                entry.ip_address or "",
                json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
                entry.entry_hash,
            ]


def _entries_for(request):
    if not reads_audit_log(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.select_related("actor", "org", "content_type").order_by("-sequence")
    return form, (form.filter(entries) if request.GET else entries)


@login_required
def audit_log(request):
    form, entries = _entries_for(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
def audit_export(request):
    form, entries = _entries_for(request)
    filters = form.describe() if request.GET else ""
    content, rows = xlsx_bytes(
        [AuditExporter(entries)], title=_("操作日志"), caption=export_caption(filters, by=str(request.user))
    )
    log_action(actor=request.user, action="core.audit.exported", request=request, filters=filters, rows=rows)
    stamp = timezone.localtime()
    return xlsx_response(content, _("操作日志-%(when)s.xlsx") % {"when": f"{stamp:%Y%m%d-%H%M}"})
