from django import template

from complaints.exporters import petitioner_label

register = template.Library()


@register.filter
def petitioner_masked(case) -> str:
    """The petitioner as the ledger shows them: masked name, 匿名, or a withheld reporter."""
    return petitioner_label(case.case_type, case.name, case.is_anonymous)
