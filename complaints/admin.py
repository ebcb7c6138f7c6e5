"""Admin for the complaints records. State changes go through the services; the admin reads, classifies
and lets a supervisor decide pending extensions."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.access import scope
from core.admin_personal import MaskedPersonalDataAdmin, masked_fields
from core.personal import mask_name, mask_phone

from .models import (
    Attachment,
    Case,
    CaseArchive,
    CaseDocument,
    CaseEvent,
    CaseStep,
    CaseSupplement,
    Contact,
    DestructionDecision,
    ExtensionRequest,
    Forwarding,
    PetitionReview,
    Representative,
    Transfer,
)
from .search import case_reindex
from .services import extension_decide
from .services.case_counts import case_save
from .services.common import is_filed

# Fields whose changes belong to the workflow services, never to a hand edit in the admin.
WORKFLOW_FIELDS = [
    "org",
    "number",
    "case_type",
    "petition_kind",
    "channel",
    "received_at",
    "received_on",
    "name",
    "id_number",
    "phone",
    "address",
    "is_anonymous",
    "group_size",
    "owner",
    "backup",
    "status",
    "accepted_on",
    "due_on",
    "decision",
    "finding",
    "satisfaction",
    "closure",
    "closed_at",
    "closed_on_time",
    "duplicate_of",
    "withdrawn_on",
    "withdrawal_via",
    "escalated_from",
    "amount_recovered",
    "version",
    "created_by",
    "created_at",
    "updated_at",
]


class ReadOnlyInline(MaskedPersonalDataAdmin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["occurred_at", "action", "from_status", "to_status", "actor", "approver", "note"]
    readonly_fields = fields


class CaseStepInline(ReadOnlyInline):
    model = CaseStep
    fields = ["kind", "owner", "due_on", "done_on", "note"]
    readonly_fields = fields


class CaseDocumentInline(ReadOnlyInline):
    model = CaseDocument
    fields = ["kind", "number", "issued_on", "issued_by", "delivered_on"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["kind", "original_name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class ExtensionRequestInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = ["days", "reason", "state", "requested_by", "decided_by", "decided_at", "decision_note"]
    readonly_fields = fields


class ScopedAdmin(MaskedPersonalDataAdmin, SimpleHistoryAdmin):
    """Staff see only the records of their own office and the offices below it; personal data masked
    (core/admin_personal.py). A filed case and its records are read-only here as everywhere (docs/domain.md,
    "归档")."""

    scope_field = "org"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, self.scope_field)

    def case_of(self, obj):
        return obj.case if obj is not None and hasattr(obj, "case_id") else obj

    def _filed(self, obj) -> bool:
        case = self.case_of(obj)
        return case is not None and case.pk is not None and is_filed(case)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._filed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._filed(obj)


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = [
        "number",
        "received_on",
        "case_type",
        "channel",
        "petitioner",
        "institution",
        "masked_summary",
        "owner",
        "backup",
        "status",
        "due_on",
        "closed_on_time",
    ]
    list_filter = ["case_type", "status", "channel", "closure", "is_anonymous", "org"]
    search_fields = ["number", "reference_no", "summary"]
    list_select_related = ["institution", "owner", "backup"]
    readonly_fields = masked_fields(WORKFLOW_FIELDS)
    fields = masked_fields(
        [*WORKFLOW_FIELDS[:14], "institution", "business", "cause", "summary", "content", *WORKFLOW_FIELDS[14:]]
    )
    inlines = [CaseEventInline, CaseStepInline, ExtensionRequestInline, CaseDocumentInline, AttachmentInline]
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("来件人"))
    def petitioner(self, obj):
        return _("匿名") if obj.is_anonymous else mask_name(obj.name)

    def case_of(self, obj):
        return obj

    def has_add_permission(self, request):
        # Cases are opened through intake, which numbers them and starts their clocks.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Only the classification can change here (the wording is shown masked, read-only: docs/domain.md
        # "个人信息"); the version still moves so an open case page cannot overwrite the edit.
        obj.version += 1
        obj._change_reason = _("管理后台修改分类")
        case_save(obj)
        case_reindex(obj)


class RepresentativeInline(ReadOnlyInline):
    model = Representative
    fields = ["masked_name"]
    readonly_fields = fields


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    list_display = ["received_at", "channel", "topic", "person", "institution", "masked_summary", "outcome", "case"]
    list_filter = ["channel", "topic", "outcome", "org"]
    search_fields = ["summary", "reference_no", "case__number"]
    list_select_related = ["institution", "case"]
    readonly_fields = masked_fields(f.name for f in Contact._meta.fields)
    fields = readonly_fields
    inlines = [RepresentativeInline]
    show_full_result_count = False

    @admin.display(description=_("来件人"))
    def person(self, obj):
        return _("匿名") if obj.is_anonymous else f"{mask_name(obj.name)} {mask_phone(obj.phone)}".strip()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ScopedAdmin):
    scope_field = "case__org"
    list_display = ["case", "days", "reason", "state", "requested_by", "requested_at", "decided_by"]
    list_filter = ["state"]
    search_fields = ["case__number", "reason"]
    list_select_related = ["case", "requested_by", "decided_by"]
    readonly_fields = [f.name for f in ExtensionRequest._meta.fields]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, approve):
        done = 0
        for extension in queryset:
            try:
                extension_decide(
                    actor=request.user, request=extension, approve=approve, note="" if approve else str(_("不批准"))
                )
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, f"{extension.case}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            messages.success(request, _("已审批 %(n)s 项延期申请。") % {"n": done})

    @admin.action(description=_("批准所选延期申请"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("不批准所选延期申请"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(Forwarding)
class ForwardingAdmin(ScopedAdmin):
    scope_field = "case__org"
    list_display = [
        "slip_number",
        "case",
        "institution",
        "forwarded_on",
        "acknowledged_on",
        "replied_on",
        "replied_late",
    ]
    list_filter = ["replied_late", "extension"]
    search_fields = ["slip_number", "case__number", "institution__short_name"]
    list_select_related = ["case", "institution"]
    readonly_fields = [f.name for f in Forwarding._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyRecord(ScopedAdmin):
    """Recorded on the case page through the services (docs/domain.md, "复查、复核", "转送其他机关"); read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PetitionReview)
class PetitionReviewAdmin(_ReadOnlyRecord):
    scope_field = "case__org"
    list_display = ["case", "kind", "requested_on", "office", "late", "decision", "decided_on"]
    list_filter = ["kind", "late", "decision"]
    search_fields = ["case__number", "office"]
    list_select_related = ["case"]


@admin.register(Transfer)
class TransferAdmin(_ReadOnlyRecord):
    list_display = [
        "letter_number",
        "case",
        "authority",
        "authority_name",
        "transferred_on",
        "acknowledged_on",
        "told_on",
    ]
    list_filter = ["authority"]
    search_fields = ["letter_number", "case__number", "authority_name"]
    list_select_related = ["case"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(ScopedAdmin):
    scope_field = "case__org"
    list_display = ["number", "kind", "case", "issued_on", "issued_by", "delivered_on"]
    list_filter = ["kind"]
    search_fields = ["number", "case__number"]
    list_select_related = ["case", "issued_by"]
    readonly_fields = [f.name for f in CaseDocument._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    scope_field = "case__org"
    list_display = ["original_name", "kind", "case", "size", "sha256", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "case__number", "sha256"]
    list_select_related = ["case", "uploaded_by"]
    # The file itself is downloaded from the case page, which checks access and logs each download.
    exclude = ["file"]
    readonly_fields = [
        "case",
        "step",
        "kind",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "description",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False


class ArchiveRecordAdmin(ScopedAdmin):
    """Archive records are written by the services only: read-only here, never deleted."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseArchive)
class CaseArchiveAdmin(ArchiveRecordAdmin):
    list_display = ["archive_number", "case", "filed_on", "filed_by", "is_permanent", "retention_until", "destroyed_at"]
    list_filter = ["is_permanent", "org"]
    search_fields = ["archive_number", "case__number"]
    list_select_related = ["case", "filed_by"]
    exclude = ["bundle_pdf", "bundle_zip"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]


@admin.register(CaseSupplement)
class CaseSupplementAdmin(ArchiveRecordAdmin):
    scope_field = "case__org"
    list_display = ["case", "kind", "added_by", "added_at"]
    list_filter = ["kind"]
    search_fields = ["case__number"]
    list_select_related = ["case", "added_by"]


@admin.register(DestructionDecision)
class DestructionDecisionAdmin(ArchiveRecordAdmin):
    scope_field = "archive__org"
    list_display = ["archive_number", "case_number", "state", "proposed_by", "proposed_at", "decided_by", "decided_at"]
    list_filter = ["state"]
    search_fields = ["archive_number", "case_number"]
    list_select_related = ["proposed_by", "decided_by"]
