from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.exporters import file_response
from core.pdf import pdf_response, render_pdf
from core.personal import mask_address, mask_id, mask_name, mask_phone
from core.services.audit import log_action
from core.uploads import content_type_for
from mediation.access import can_write_office, get_case_for_user, is_case_mediator
from mediation.models import Side

WORKSTATION_NAME = _("“莱和州安”金融纠纷调解工作站")


def _applicant(case, *, full: bool) -> dict:
    if full:
        return {
            "name": case.applicant_name,
            "id_number": case.applicant_id_number,
            "phone": case.applicant_phone,
            "address": case.applicant_address,
        }
    return {
        "name": mask_name(case.applicant_name),
        "id_number": mask_id(case.applicant_id_number),
        "phone": mask_phone(case.applicant_phone),
        "address": mask_address(case.applicant_address),
    }


@login_required
def agreement_pdf(request, pk):
    """The 调解协议书: parties, facts, disputed points, terms, how and when it is performed."""
    case = get_case_for_user(request, pk)
    if not case.has_agreement:
        raise Http404
    # The reveal rule (docs/domain.md, "个人信息"): those who may reveal the applicant's data on the case page get the
    # full agreement, and the print is logged as a reveal; everyone else who sees the case (the branch reviewer) gets
    # a copy with the personal data masked.
    full = can_write_office(request.user, case) or is_case_mediator(request.user, case)
    content = render_pdf(
        "mediation/pdf_agreement.html",
        {
            "case": case,
            # The workstation signs the agreement; its number is the agreement's only number.
            "issuer": WORKSTATION_NAME,
            "document_number": case.agreement_number,
            "agents": list(case.agents.all()),
            "applicant_side": Side.APPLICANT,
            "full": full,
            "applicant": _applicant(case, full=full),
        },
    )
    log_action(actor=request.user, action="mediation.agreement.printed", target=case, full_personal_data=full)
    if full:
        log_action(actor=request.user, action="mediation.case.personal_revealed", target=case, document="agreement")
    return pdf_response(content, f"调解协议书-{case.number}.pdf")


@login_required
def agent_document(request, pk, agent_pk):
    """The authorisation document: personal data, so only the office and the case's mediator download it."""
    case = get_case_for_user(request, pk)
    if not (can_write_office(request.user, case) or is_case_mediator(request.user, case)):
        raise PermissionDenied
    agent = get_object_or_404(case.agents, pk=agent_pk)
    log_action(actor=request.user, action="mediation.agent.document_viewed", target=case, agent=agent.pk)
    name = agent.document_name
    return file_response(agent.document.open("rb"), name, content_type=content_type_for(name))
