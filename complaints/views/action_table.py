"""The case page's actions (docs/architecture.md, "The action view"): key → (form, button style, service call).

Which keys the page offers, and their words, come from the transition table (complaints/transitions.py); the one
view that posts them is `complaints.views.cases.case_action`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import forms
from .. import services as svc
from ..models import Case
from .petition_actions import PETITION_LIFE_ACTIONS


def _first_case(case, data, user):
    first = Case.objects.filter(org=case.org, number=data["first_number"].strip()).first()
    if first is None:
        raise ValidationError(_("本单位没有编号为 %(n)s 的案件。") % {"n": data["first_number"]})
    return first


# key → (form, style, call(user, case, data)); which keys the page offers, and their labels, come from the
# transition table (complaints/transitions.py).
ACTIONS = {
    "progress": (forms.ProgressForm, "secondary",
                 lambda u, c, d: svc.case_record_progress(actor=u, case=c, version=d["version"], note=d["note"])),
    "petition_accept": (forms.PetitionAcceptForm, "success",
                        lambda u, c, d: svc.petition_accept(actor=u, case=c, version=d["version"], route=d["route"])),
    "petition_not_accept": (forms.NonAcceptForm, "danger",
                            lambda u, c, d: svc.petition_not_accept(
                                actor=u, case=c, version=d["version"], reason=d["reason"],
                                legal_basis=d["legal_basis"])),
    "petition_not_our_remit": (forms.NotOurRemitForm, "warning",
                               lambda u, c, d: svc.petition_not_our_remit(
                                   actor=u, case=c, version=d["version"], mode=d["mode"], body=d["body"])),
    "duplicate": (forms.DuplicateForm, "warning",
                  lambda u, c, d: svc.case_mark_duplicate(
                      actor=u, case=c, version=d["version"], first_case=_first_case(c, d, u), note=d["note"])),
    "extension_request": (forms.ExtensionRequestForm, "warning",
                          lambda u, c, d: svc.extension_request(
                              actor=u, case=c, version=d["version"], days=d["days"], reason=d["reason"])),
    "petition_reply": (forms.PetitionReplyForm, "success",
                       lambda u, c, d: svc.petition_reply(
                           actor=u, case=c, version=d["version"], request=d["request"], facts=d["facts"],
                           decision=d["decision"], legal_basis=d["legal_basis"])),
    "petition_deliver": (forms.DateNoteForm, "success",
                         lambda u, c, d: svc.petition_deliver(
                             actor=u, case=c, version=d["version"], delivered_on=d["on"], note=d["note"])),
    "report_request_materials": (forms.MaterialsRequestForm, "warning",
                                 lambda u, c, d: svc.report_request_materials(
                                     actor=u, case=c, version=d["version"], missing=d["missing"])),
    "report_materials_complete": (forms.DateNoteForm, "success",
                                  lambda u, c, d: svc.report_materials_complete(
                                      actor=u, case=c, version=d["version"], completed_on=d["on"], note=d["note"])),
    "report_accept": (forms.ReportAcceptForm, "success",
                      lambda u, c, d: svc.report_accept(actor=u, case=c, version=d["version"], note=d["note"])),
    "report_not_accept": (forms.ReasonForm, "danger",
                          lambda u, c, d: svc.report_not_accept(
                              actor=u, case=c, version=d["version"], reason=d["reason"])),
    "report_finding": (forms.ReportFindingForm, "success",
                       lambda u, c, d: svc.report_finding(
                           actor=u, case=c, version=d["version"], finding=d["finding"], facts=d["facts"],
                           measures=d["measures"])),
    "report_notify": (forms.DateNoteForm, "success",
                      lambda u, c, d: svc.report_notify(
                          actor=u, case=c, version=d["version"], notified_on=d["on"], note=d["note"])),
    "complaint_forward": (forms.ForwardForm, "success",
                          lambda u, c, d: svc.complaint_forward(
                              actor=u, case=c, version=d["version"], told_via=d["told_via"], told_on=d["told_on"],
                              requirement=d["requirement"])),
    "complaint_acknowledge": (forms.AcknowledgeForm, "secondary",
                              lambda u, c, d: svc.complaint_institution_acknowledge(
                                  actor=u, case=c, version=d["version"], acknowledged_on=d["on"],
                                  acknowledged_by=d["acknowledged_by"])),
    "complaint_extend": (forms.InstitutionExtendForm, "warning",
                         lambda u, c, d: svc.complaint_institution_extend(
                             actor=u, case=c, version=d["version"], level=d["level"], reason=d["reason"],
                             approved_by=d["approved_by"], approved_on=d["approved_on"])),
    "complaint_restart": (forms.RestartForm, "warning",
                          lambda u, c, d: svc.complaint_restart(
                              actor=u, case=c, version=d["version"], received_on=d["received_on"],
                              facts=d["facts"])),
    "complaint_reply": (forms.InstitutionReplyForm, "success",
                        lambda u, c, d: svc.complaint_institution_reply(
                            actor=u, case=c, version=d["version"], result=d["result"], replied_on=d["on"])),
    "complaint_follow_up": (forms.FollowUpForm, "success",
                            lambda u, c, d: svc.complaint_follow_up(
                                actor=u, case=c, version=d["version"], satisfaction=d["satisfaction"],
                                note=d["note"], on=d["on"])),
    "complaint_escalate": (forms.EscalateForm, "danger",
                           lambda u, c, d: svc.complaint_escalate(
                               actor=u, case=c, version=d["version"], route=d["route"], note=d["note"])),
    "complaint_check": (forms.CheckRequestForm, "warning",
                        lambda u, c, d: svc.complaint_check_request(
                            actor=u, case=c, version=d["version"], requested_on=d["requested_on"],
                            office=d["office"], note=d["note"])),
    "complaint_check_result": (forms.CheckResultForm, "success",
                               lambda u, c, d: svc.complaint_check_result(
                                   actor=u, case=c, version=d["version"], result=d["result"], on=d["on"])),
    "complaint_to_report": (forms.ToReportForm, "danger",
                            lambda u, c, d: svc.complaint_to_report(
                                actor=u, case=c, version=d["version"], note=d["note"])),
    "complaint_withdraw": (forms.WithdrawForm, "danger",
                           lambda u, c, d: svc.complaint_withdraw(
                               actor=u, case=c, version=d["version"], via=d["via"], on=d["on"],
                               note=d["note"])),
    "step_start": (forms.StepStartForm, "secondary",
                   lambda u, c, d: svc.case_step_start(
                       actor=u, case=c, version=d["version"], kind=svc.next_step_kind(c), owner=d["owner"],
                       due_on=d["due_on"], note=d["note"])),
    "close": (forms.CloseForm, "success",
              lambda u, c, d: svc.case_close(actor=u, case=c, version=d["version"], result=d["result"])),
    "reassign": (forms.ReassignForm, "secondary",
                 lambda u, c, d: svc.case_reassign(
                     actor=u, case=c, version=d["version"], owner=d["owner"], backup=d["backup"],
                     reason=d["reason"])),
    # 建议意见/检举控告 endings, 复查/复核 and transfers (complaints/views/petition_actions.py).
    **PETITION_LIFE_ACTIONS,
}  # fmt: skip
