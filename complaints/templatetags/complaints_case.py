from django import template

from core.personal import mask_name

register = template.Library()


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value or "")
