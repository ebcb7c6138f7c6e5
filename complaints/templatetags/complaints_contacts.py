"""The contact list's rows written in Python, as the ledger's are (docs/performance.md「2026-12-05 第三轮」): 50 rows
through the template engine were most of the page. Every value is escaped by core.markup.as_html."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import as_html, cut
from core.personal import mask_free_text

register = template.Library()


def _cells(row) -> str:
    contact = row["contact"]
    today = f' <span class="badge text-bg-info">{as_html(_("今天"))}</span>' if row["is_today"] else ""
    received = timezone.localtime(contact.received_at).strftime("%Y-%m-%d %H:%M")
    group = ""
    if contact.group_size > 1:
        group = f' <span class="text-muted">{as_html(_("（%(n)s人）") % {"n": contact.group_size})}</span>'
    case = f' <a href="{as_html(row["case_url"])}">{as_html(contact.case.number)}</a>' if contact.case else ""
    institution = contact.institution.short_name if contact.institution and contact.institution.short_name else "—"
    summary = cut(mask_free_text(contact.summary), 40)
    return (
        f'<td class="text-nowrap"><a href="{as_html(row["url"])}">{received}</a>{today}</td>'
        f"<td>{as_html(row['channel'])}</td><td>{as_html(row['topic'])}</td>"
        f"<td>{as_html(row['person'])}{group}</td>"
        f'<td class="text-nowrap">{as_html(row["phone"] or "—")}</td>'
        f"<td>{as_html(institution)}</td><td>{as_html(summary)}</td>"
        f"<td>{as_html(row['outcome'])}{case}</td><td>{as_html(contact.received_by)}</td>"
    )


@register.simple_tag
def contact_rows(rows) -> SafeString:
    """`{% contact_rows rows %}`: one <tr> per record (data-testid `contact-<id>`)."""
    html = (f'<tr data-testid="contact-{row["contact"].pk}">{_cells(row)}</tr>' for row in rows)
    return mark_safe("\n".join(html))  # nosec B308 B703 # every value escaped by as_html  # noqa: S308
