"""Personal data in the admin: shown masked, read-only, in the change form and in the change history alike.

The full values are seen only through the product's own reveal action, which checks who may and logs it
(docs/domain.md, "个人信息"); the admin has no such check, so it never shows them. Free text (a summary, a note,
a reason: any text field) is shown read-only with the numbers typed into it masked; its wording is the record of
what was received and is not edited in the admin.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
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


def _is_free_text(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.TextField) or (name in FREE_TEXT_FIELDS and isinstance(field, models.CharField))


def _masked_display(model, name: str):
    """A read-only display of the field `name`: a personal field masked, free text with its typed numbers masked."""
    mask = PERSONAL_MASKS.get(name, mask_free_text)

    def display(obj):
        return mask(getattr(obj, name, "") or "")

    display.short_description = model._meta.get_field(name).verbose_name
    return display


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

    def _masked_names(self, fields) -> list[str]:
        return [
            f"masked_{name}" if name in PERSONAL_MASKS or _is_free_text(self.model, name) else name for name in fields
        ]

    def get_fields(self, request, obj=None):
        return self._masked_names(super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        readonly = self._masked_names(super().get_readonly_fields(request, obj))
        free_text = [f"masked_{f.name}" for f in self.model._meta.get_fields() if _is_free_text(self.model, f.name)]
        return [*readonly, *(name for name in free_text if name not in readonly)]

    def __getattr__(self, name):
        # `masked_<field>` for any personal or text field of the model the form lists.
        field = name.removeprefix("masked_")
        if name.startswith("masked_") and (field in PERSONAL_MASKS or _is_free_text(self.model, field)):
            try:
                return _masked_display(self.model, field)
            except FieldDoesNotExist:
                pass
        raise AttributeError(name)

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
