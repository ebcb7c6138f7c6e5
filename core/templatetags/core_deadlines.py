"""The 暂定 mark shown beside a due date computed over a calendar year not yet verified (docs/domain.md)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def provisional_badge_html(flag) -> str:
    if not flag:
        return ""
    return format_html(
        '<span class="badge text-bg-info provisional-mark" title="{}">{}</span>',
        _("所跨年度的工作日历尚未核对：按预测的法定节假日（不含调休）计算，管理员核对该年度后可能调整"),
        _("暂定"),
    )


@register.simple_tag
def provisional_badge(flag):
    """`{% provisional_badge deadline.provisional_years %}`, `{% provisional_badge state.is_provisional %}`…"""
    return provisional_badge_html(flag)


@register.simple_tag
def unverified_calendar_years():
    """The years administrators must verify now (core.calendar_watch); one small query."""
    from django.utils import timezone

    from core.calendar_watch import unverified_years

    return unverified_years(timezone.localdate())
