"""PDF documents of a case, rendered on demand with the office letterhead and the document's number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.pdf import pdf_response, render_pdf
from core.services.audit import log_action

from .. import services as svc
from ..models import CaseDocument
from ..services.document_pdf import MASKED_KINDS, TEMPLATES, document_context
from .cases import get_case_for_user


@login_required
def document_pdf(request, pk, document_pk):
    case = get_case_for_user(request, pk)
    document = get_object_or_404(CaseDocument.objects.select_related("issued_by"), pk=document_pk, case=case)
    if not svc.can_handle(request.user, case):
        raise PermissionDenied(_("只有本案件的A岗、B岗或支局负责人可以打印文书。"))
    document.case = case
    content = render_pdf(TEMPLATES[document.kind], document_context(document))
    log_action(
        actor=request.user, action="complaints.document.printed", target=case, number=case.number, kind=document.kind
    )
    if document.kind not in MASKED_KINDS:
        # The notices to the petitioner carry the full name and the words as written: printing one is a reveal
        # (docs/domain.md, "个人信息"); the forwarding slip carries only masked data.
        log_action(
            actor=request.user,
            action="complaints.case.personal_data_revealed",
            target=case,
            number=case.number,
            document=document.kind,
        )
    return pdf_response(content, f"{case.number}-{document.get_kind_display()}.pdf")
