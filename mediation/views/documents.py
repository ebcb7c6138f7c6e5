from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.exporters import file_response
from core.pdf import pdf_response, render_pdf
from core.services.audit import log_action
from core.uploads import content_type_for
from mediation.access import can_write_office, get_case_for_user, is_case_mediator
from mediation.models import Side

WORKSTATION_NAME = _("“莱和州安”金融纠纷调解工作站")


@login_required
def agreement_pdf(request, pk):
    """The 调解协议书: parties, facts, disputed points, terms, how and when it is performed."""
    case = get_case_for_user(request.user, pk)
    if not case.has_agreement:
        raise Http404
    content = render_pdf(
        "mediation/pdf_agreement.html",
        {
            "case": case,
            # The workstation signs the agreement; its number is the agreement's only number.
            "issuer": WORKSTATION_NAME,
            "document_number": case.agreement_number,
            "agents": list(case.agents.all()),
            "applicant_side": Side.APPLICANT,
        },
    )
    log_action(actor=request.user, action="mediation.agreement.printed", target=case)
    return pdf_response(content, f"调解协议书-{case.number}.pdf")


@login_required
def agent_document(request, pk, agent_pk):
    """The authorisation document: personal data, so only the office and the case's mediator download it."""
    case = get_case_for_user(request.user, pk)
    if not (can_write_office(request.user, case) or is_case_mediator(request.user, case)):
        raise PermissionDenied
    agent = get_object_or_404(case.agents, pk=agent_pk)
    log_action(actor=request.user, action="mediation.agent.document_viewed", target=case, agent=agent.pk)
    name = agent.document_name
    return file_response(agent.document.open("rb"), name, content_type=content_type_for(name))
