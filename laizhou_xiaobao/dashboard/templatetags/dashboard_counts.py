"""A row of the board's counts as table cells, written in Python: a branch reviewer's board has about 300 of them,
and one template include per row with a loop and conditions per cell was a fifth of the page
(docs/performance.md「2026-12-05 第三轮」)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.markup import as_html

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
