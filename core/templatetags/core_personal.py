"""Personal numbers typed into free text, masked where a page shows the masked form (docs/domain.md, "个人信息")."""

from django import template

from core.personal import mask_free_text

register = template.Library()


@register.filter
def masked_text(value, revealed=False):
    """`{{ case.summary|masked_text:revealed }}`: the text as typed only after a logged reveal."""
    if revealed:
        return value
    return mask_free_text(value)
