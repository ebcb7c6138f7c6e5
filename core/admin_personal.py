"""Personal data in the admin: shown masked, read-only, in the change form and in the change history alike.

The full values are seen only through the product's own reveal action, which checks who may and logs it
(docs/domain.md, "个人信息"); the admin has no such check, so it never shows them.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from core.personal import mask_address, mask_free_text, mask_id, mask_name, mask_phone

# Field name -> mask, for the models that hold a person's data.
PERSONAL_MASKS = {
    "name": mask_name,
    "id_number": mask_id,
    "phone": mask_phone,
    "address": mask_address,
    "applicant_name": mask_name,
    "applicant_id_number": mask_id,
    "applicant_phone": mask_phone,
    "applicant_address": mask_address,
}
# Free text where a clerk may have typed a number.
FREE_TEXT_FIELDS = {"summary", "content", "answer", "note", "facts", "claims", "disputed_points", "agreement_terms"}


def masked_fields(fields) -> list[str]:
    """`fields` with each personal field replaced by its masked, read-only display (`masked_<field>`)."""
    return [f"masked_{name}" if name in PERSONAL_MASKS else name for name in fields]


class _MaskedHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if change.field in PERSONAL_MASKS and isinstance(value, str):
            return PERSONAL_MASKS[change.field](value)
        if change.field in FREE_TEXT_FIELDS and isinstance(value, str):
            return mask_free_text(value)
        return super().prepare_delta_change_value(change, value)


class MaskedPersonalDataAdmin:
    """Mixin for a (SimpleHistory)ModelAdmin: list `masked_<field>` in `fields`/`readonly_fields` instead of the
    personal fields (see `masked_fields`); the history page's before/after values are masked too."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _MaskedHistoryHelper(self.model, historical_record)

    @admin.display(description=_("姓名（脱敏）"))
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("身份证号（脱敏）"))
    def masked_id_number(self, obj):
        return mask_id(obj.id_number)

    @admin.display(description=_("联系电话（脱敏）"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.display(description=_("地址（脱敏）"))
    def masked_address(self, obj):
        return mask_address(obj.address)

    @admin.display(description=_("事项摘要"))
    def masked_summary(self, obj):
        """The summary in lists, with the numbers typed into it masked (core.personal.mask_free_text)."""
        return mask_free_text(obj.summary)
