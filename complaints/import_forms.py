"""Forms of the ledger import pages (docs/domain.md, "历史台账导入")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.ledger_import import FIELDS

NOT_IMPORTED = _("（不导入）")


class ImportUploadForm(forms.Form):
    org = forms.ModelChoiceField(label=_("导入到单位"), queryset=None, empty_label=None)
    file = forms.FileField(label=_("台账Excel文件（.xlsx）"))

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = offices
        self.fields["org"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update(accept=".xlsx", **{"class": "form-control"})


class ImportMappingForm(forms.Form):
    """One select per ledger field, offering the workbook's headers."""

    def __init__(self, *args, headers, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IMPORTED), *[(h, h) for h in headers if h]]
        for field in FIELDS:
            label = f"{field.label}{' *' if field.required else ''}"
            self.fields[field.key] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial=initial_mapping.get(field.key, ""),
                help_text=field.note,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
