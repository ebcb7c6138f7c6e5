from django import template
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from complaints.exporters import petitioner_label
from complaints.models import Case
from core.labels import field_label
from core.personal import mask_free_text
from core.services.deadlines import overdue_label
from core.templatetags.core_deadlines import provisional_badge_html

register = template.Library()


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _due_cell(case) -> str:
    if case.due_on and case.due_provisional and case.is_open:
        return format_html("{} {}", _date(case.due_on), provisional_badge_html(True))
    return _date(case.due_on)


def _days_cell(case, row) -> str:
    days, working = row["days"], row["working"]
    if not case.is_open or days is None:
        return "—"
    if days < 0:
        return format_html('<span class="badge text-bg-danger">{}</span>', overdue_label(working))
    if working is not None and working <= 3:
        text = _("%(n)s天（%(w)s个工作日）") % {"n": days, "w": working}
        return format_html('<span class="badge text-bg-warning">{}</span>', text)
    if working is None:
        return _("%(n)s天") % {"n": days}
    return format_html(
        '{}<span class="text-muted">（{}）</span>', _("%(n)s天") % {"n": days}, _("%(w)s个工作日") % {"w": working}
    )


def _status_cell(case):
    status = field_label(Case, "status", case.status)
    if not case.is_historical:
        return status
    return format_html('{} <span class="badge text-bg-secondary">{}</span>', status, _("历史导入"))


@register.simple_tag
def ledger_rows(rows):
    """The ledger's table rows, built in Python: 50 rows through the template engine cost ~15 ms a page."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    cells = []
    for row in rows:
        case = row["case"]  # a complaints.selectors.LedgerRow
        handlers = case.owner + (f" / {case.backup}" if case.backup else "")
        cells.append(
            (
                row["url"],
                case.number,
                case.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                field_label(Case, "channel", case.channel),
                field_label(Case, "case_type", case.case_type),
                petitioner_label(case.case_type, case.name, case.is_anonymous),
                case.institution or "—",
                # Masked before it is cut: a number cut in half would no longer be recognised.
                Truncator(mask_free_text(case.summary)).chars(40),
                handlers,
                _status_cell(case),
                _due_cell(case),
                _days_cell(case, row),
                _date(case.closed_at.astimezone(tz).date() if case.closed_at else None),
            )
        )
    return format_html_join(
        "\n",
        '<tr><td><a href="{}">{}</a></td><td class="text-nowrap">{}</td><td>{}</td><td>{}</td><td>{}</td>'
        '<td>{}</td><td>{}</td><td class="text-nowrap">{}</td><td>{}</td><td class="text-nowrap">{}</td>'
        '<td class="text-nowrap">{}</td><td class="text-nowrap">{}</td></tr>',
        cells,
    )
