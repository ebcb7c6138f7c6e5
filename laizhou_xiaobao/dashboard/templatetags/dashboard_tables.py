"""The board's counts and my work's items as table cells, written in Python (docs/performance.md「2026-12-05 第三轮」):
a branch reviewer's board has about 300 count cells, and one template include per row with a loop and conditions
per cell was a fifth of the page; my work lists 50 items a page. Every value is escaped by core.markup.as_html."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import as_html
from core.templatetags.core_deadlines import provisional_badge_html

register = template.Library()


def _emphasis(bucket: str, count) -> str:
    if bucket == "overdue" and count:
        return " table-danger fw-bold"
    if bucket == "today" and count:
        return " table-warning"
    return ""


@register.simple_tag
def count_cells(counts, prefix) -> SafeString:
    """`{% count_cells row.counts "handler-laizhou-3" %}`: one <td> per bucket, the number linking to exactly the
    deadlines it counts (data-testid `<prefix>-<bucket>`)."""
    cells = []
    for bucket, count, link in counts.cells():
        testid = as_html(f"{prefix}-{bucket}")
        if link and count:
            inner = f'<a href="{as_html(link)}" data-testid="{testid}">{as_html(count)}</a>'
        else:
            inner = f'<span data-testid="{testid}">{as_html(count)}</span>'
        cells.append(f'<td class="text-end{_emphasis(bucket, count)}">{inner}</td>')
    return mark_safe("".join(cells))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308


@register.simple_tag
def number_cells(values) -> SafeString:
    """`{% number_cells row %}`: one right-aligned <td> per number (the intake table: channels × 12 months)."""
    return mark_safe("".join(f'<td class="text-end">{as_html(value)}</td>' for value in values))  # nosec B308 B703 # noqa: S308


def _item_cells(item) -> str:
    state = item.state
    major = (
        f'<span class="badge text-bg-danger" data-testid="major-{item.deadline_id}">{as_html(_("重大/群体性"))}</span> '
        if item.is_major
        else ""
    )
    label = f'<a href="{as_html(item.link)}">{as_html(item.label)}</a>' if item.link else as_html(item.label)
    owner = (
        f'<div class="small text-muted">{as_html(_("A岗：%(name)s") % {"name": item.owner_name})}</div>'
        if item.role != "owner" and item.owner_name
        else ""
    )
    left = "—" if state.is_overdue else as_html(state.days_text)
    return (
        f"<td>{major}{label}</td><td>{as_html(item.kind_label)}</td><td>{as_html(item.role_label)}{owner}</td>"
        f"<td>{item.due_on:%Y-%m-%d} {as_html(provisional_badge_html(state.is_provisional))}</td>"
        f'<td class="small">{left}</td>'
        f'<td><span class="badge text-bg-{as_html(state.css)} deadline-badge">{as_html(state.label)}</span></td>'
    )


@register.simple_tag
def work_item_rows(items) -> SafeString:
    """`{% work_item_rows items %}`: my work's rows (data-testid `item-<deadline id>`, data-role the user's role)."""
    rows = (
        f'<tr data-testid="item-{item.deadline_id}" data-role="{as_html(item.role)}">{_item_cells(item)}</tr>'
        for item in items
    )
    return mark_safe("\n".join(rows))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308
