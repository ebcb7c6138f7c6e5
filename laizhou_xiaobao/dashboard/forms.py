from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Task, User


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "requirement", "owner", "backup", "due_on", "recurrence"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "requirement": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "backup": _("不填时默认为A岗人员的备岗人。"),
            "recurrence": _("周期任务完成后自动生成下一期（每月或每季度同日）。"),
        }

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = users if users is not None else User.objects.none()
        self.fields["owner"].queryset = users
        self.fields["backup"].queryset = users

    def clean(self):
        cleaned = super().clean()
        owner, backup = cleaned.get("owner"), cleaned.get("backup")
        if owner and backup and owner == backup:
            self.add_error("backup", _("A岗和B岗不能是同一人。"))
        return cleaned


class TaskCompleteForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TaskCancelForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class TaskEditForm(TaskForm):
    """Edit or reassign an open task; `fingerprint` carries what the editor saw (stale edits are refused)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
