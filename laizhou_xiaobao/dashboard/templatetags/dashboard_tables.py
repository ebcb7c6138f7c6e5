"""The board's counts and my work's items as table cells, written in Python (docs/performance.md「2026-12-05 第三轮」):
a branch reviewer's board has about 300 count cells, and one template include per row with a loop and conditions
per cell was a fifth of the page; my work lists 50 items a page. Every value is escaped by core.markup.as_html."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import as_html
from core.templatetags.core_deadlines import provisional_badge_html

from ..selectors.buckets import BUCKET_LABELS

register = template.Library()


def _emphasis(bucket: str, count) -> str:
    if bucket == "overdue" and count:
        return " table-danger fw-bold"
    if bucket == "today" and count:
        return " table-warning"
    return ""


def _count_cells(counts, prefix: str) -> str:
    cells = []
    for bucket, count, link in counts.cells():
        testid = as_html(f"{prefix}-{bucket}")
        if link and count:
            inner = f'<a href="{as_html(link)}" data-testid="{testid}">{as_html(count)}</a>'
        else:
            inner = f'<span data-testid="{testid}">{as_html(count)}</span>'
        cells.append(f'<td class="text-end{_emphasis(bucket, count)}">{inner}</td>')
    return "".join(cells)


@register.simple_tag
def count_cells(counts, prefix) -> SafeString:
    """`{% count_cells row.counts "compare-laizhou" %}`: one <td> per bucket, the number linking to exactly the
    deadlines it counts (data-testid `<prefix>-<bucket>`)."""
    return mark_safe(_count_cells(counts, prefix))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308


def _bucket_labels(soon_days, total: str) -> tuple[str, ...]:
    """The buckets' names in count_cells' order (overdue, today, soon, on time, paused, total); the board names the
    soon bucket by its window."""
    soon = _("%(n)s个工作日内") % {"n": soon_days}
    return (BUCKET_LABELS["overdue"], BUCKET_LABELS["today"], soon, BUCKET_LABELS["on_time"], _("暂停计时"), total)


@register.simple_tag
def count_head(soon_days) -> SafeString:
    """`{% count_head horizon.soon_days %}`: the buckets' column heads, in count_cells' order."""
    heads = (f'<th class="text-end">{as_html(label)}</th>' for label in _bucket_labels(soon_days, _("合计")))
    return mark_safe("".join(heads))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308


_CARD_BORDERS = {"overdue": "border-danger", "today": "border-warning", "soon": "border-info"}


@register.simple_tag
def total_cards(totals, office_code, soon_days) -> SafeString:
    """`{% total_cards figures.totals org.code horizon.soon_days %}`: an office's totals as a row of cards, each
    number linking to its deadlines (data-testid `total-<office>-<bucket>`)."""
    cards = []
    labels = _bucket_labels(soon_days, _("在办合计"))
    for (bucket, count, link), label in zip(totals.cells(), labels, strict=True):
        number = as_html(count)
        if link:
            testid = as_html(f"total-{office_code}-{bucket}")
            number = f'<a href="{as_html(link)}" class="text-decoration-none" data-testid="{testid}">{number}</a>'
        cards.append(
            f'<div class="col"><div class="card h-100 {_CARD_BORDERS.get(bucket, "")}"><div class="card-body p-2">'
            f'<div class="small text-muted">{as_html(label)}</div><div class="fs-3 fw-bold">{number}</div>'
            "</div></div></div>"
        )
    return mark_safe("\n".join(cards))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308


def _label_cell(row, kind: str) -> str:
    if kind == "handler" and row.note:
        badge = f' <span class="badge text-bg-warning" title="{as_html(row.note)}">{as_html(_("代岗"))}</span>'
        return f"<td>{as_html(row.label)}{badge}</td>"
    return f"<td>{as_html(row.label)}</td>"


@register.simple_tag
def count_rows(rows, kind, office_code) -> SafeString:
    """`{% count_rows figures.by_institution "institution" org.code %}`: a board table's rows, each its label and
    its count cells (data-testid `<kind>-<office>-<row>-<bucket>`); the handler rows also carry data-testid
    `handler-row-<row>` and a 代岗 badge when the numbers include someone else's items. A branch reviewer's board has
    about 40 such rows; through the template each row's filters and tags cost more than its cells."""
    if not rows:
        return mark_safe(f'<tr><td colspan="7" class="text-muted">{as_html(_("没有在办事项。"))}</td></tr>')  # nosec B308 B703 # noqa: S308
    lines = []
    for row in rows:
        opening = f'<tr data-testid="handler-row-{as_html(row.slug)}">' if kind == "handler" else "<tr>"
        cells = _count_cells(row.counts, f"{kind}-{office_code}-{row.slug}")
        lines.append(f"{opening}{_label_cell(row, kind)}{cells}</tr>")
    return mark_safe("\n".join(lines))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308


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
