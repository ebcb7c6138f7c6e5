from django import template

from complaints.ledger_columns import page_rows_html

register = template.Library()


@register.simple_tag
def ledger_rows(lines):
    """The ledger's table rows (complaints/ledger_columns.py `LEDGER_COLUMNS`: the same columns as the header)."""
    return page_rows_html(lines)
