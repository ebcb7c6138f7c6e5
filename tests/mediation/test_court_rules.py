"""The court's mediation rules (docs/domain.md「纠纷调解」): the 委托 clock M-ENTRUST (15 days, 7 under 简易程序),
court extensions by consent without a cap, and judicial confirmation only for 委派 and workstation agreements — a
委托 agreement goes back to the court. Services at fixed dates, and the case page's real forms."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry, Deadline, DeadlineRule
from mediation.models import ExtensionConsent, MediationCase, Source
from mediation.services import mediation_record_confirmation, mediation_register, mediation_return_to_court
from tests.factories import at
from tests.helpers import page_form, page_forms

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
uncapping = importlib.import_module("core.migrations.0017_court_mediation_extensions_uncapped")


def _deadlines(case, code):
    return Deadline.objects.filter(object_id=case.pk, content_type__app_label="mediation", rule__code=code)


def _detail(case):
    return reverse("mediation:detail", args=[case.pk])


# --- M-ENTRUST --------------------------------------------------------------------------------------


def test_an_entrusted_case_gets_15_days_from_the_papers_moved_past_the_national_day(make_mediation, paper_mediator):
    with at("2025-09-20"):
        case = make_mediation(
            stage="mediating", source=Source.COURT_AFTER_FILING, mediator=paper_mediator, received_on=D("2025-09-16")
        )
    deadline = _deadlines(case, "M-ENTRUST").get()
    # Papers signed 2025-09-16; 15 days land on 10-01, a holiday: the next working day is 10-09.
    assert (deadline.started_on, deadline.rule_days, deadline.due_on) == (D("2025-09-16"), 15, D("2025-10-09"))
    assert not _deadlines(case, "M-COURT").exists()
    case.refresh_from_db()
    assert case.due_on == D("2025-10-09")


def test_under_the_summary_procedure_an_entrusted_case_gets_7_days(make_mediation, paper_mediator):
    with at("2025-09-25"):
        case = make_mediation(
            stage="mediating",
            source=Source.COURT_AFTER_FILING,
            mediator=paper_mediator,
            received_on=D("2025-09-24"),
            summary_procedure=True,
        )
    deadline = _deadlines(case, "M-ENTRUST").get()
    # 2025-09-24 + 7 days = 10-01 (holiday) → 10-09; the deadline keeps its 7 days for any recomputation.
    assert (deadline.rule_days, deadline.due_on) == (7, D("2025-10-09"))
    assert "7 天" in deadline.history.first().history_change_reason


def test_a_referral_before_filing_keeps_the_30_day_m_court_clock(make_mediation, paper_mediator):
    with at("2026-03-10"):
        case = make_mediation(stage="mediating", source=Source.COURT_BEFORE_FILING, mediator=paper_mediator)
    assert _deadlines(case, "M-COURT").get().due_on == D("2026-04-01")
    assert not _deadlines(case, "M-ENTRUST").exists()


def test_the_summary_procedure_is_refused_outside_an_entrusted_case(clerk_a, institution, partners, client_for):
    with at("2026-03-10"), pytest.raises(ValidationError, match="只有法院立案后委托的调解才标注"):
        mediation_register(
            actor=clerk_a,
            org=clerk_a.org,
            source=Source.COURT_BEFORE_FILING,
            referring_partner=partners["court"],
            applicant_name="王小明",
            institution=institution,
            summary="信用卡分期手续费争议",
            summary_procedure=True,
        )
    # Through the registration page's real form: the message on the page, nothing registered.
    client = client_for(clerk_a)
    with at("2026-03-10"):
        url, data = page_form(client.get(reverse("mediation:register")), "register")
        data.update(
            source=Source.COURT_BEFORE_FILING,
            referring_partner=str(partners["court"].pk),
            applicant_name="王小明",
            institution=str(institution.pk),
            summary="信用卡分期手续费争议",
            summary_procedure="on",
        )
        response = client.post(url or reverse("mediation:register"), data)
    assert response.status_code == 200
    assert "只有法院立案后委托的调解才标注“适用简易程序”。" in response.content.decode()
    assert not MediationCase.objects.exists()


def test_an_entrusted_case_is_registered_with_the_summary_procedure_through_the_form(
    clerk_a, institution, partners, client_for
):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        url, data = page_form(client.get(reverse("mediation:register")), "register")
        data.update(
            source=Source.COURT_AFTER_FILING,
            referring_partner=str(partners["court"].pk),
            court_case_number="（2026）鲁0683民初88号",
            applicant_name="王小明",
            institution=str(institution.pk),
            summary="信用卡分期手续费争议",
            summary_procedure="on",
        )
        response = client.post(url or reverse("mediation:register"), data)
    case = MediationCase.objects.get()
    assert response.status_code == 302 and case.summary_procedure and case.received_on == D("2026-03-10")
    with at("2026-03-10"):
        assert "适用简易程序</span>" in client.get(_detail(case)).content.decode()


# --- Court extensions by consent: no cap -----------------------------------------------------------------


def _extend_on_page(client, case, days, reason, applicant="2026-03-09", respondent="2026-03-10"):
    url, data = page_form(client.get(_detail(case)), "extend")
    data.update(days=str(days), reason=reason, applicant_consent_on=applicant, respondent_consent_on=respondent)
    return client.post(url, data, follow=True)


def test_court_mediation_is_extended_by_consent_without_a_cap(make_mediation, paper_mediator, clerk_a, client_for):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = make_mediation(stage="mediating", source=Source.COURT_BEFORE_FILING, mediator=paper_mediator)
        for days, reason in ((30, "等待机构总行批复"), (60, "申请人住院治疗"), (90, "双方同意继续协商")):
            response = _extend_on_page(client, case, days, reason)
            assert "延长调解期限（须双方同意）：已完成。" in response.content.decode()
    deadline = _deadlines(case, "M-COURT").get()
    # 180 days beyond the rule's 30: 2026-03-02 + 210 = 2026-09-28 (Monday).
    assert deadline.extension_days == 180 and deadline.due_on == D("2026-09-28")
    consents = list(ExtensionConsent.objects.filter(case=case).order_by("recorded_at", "id"))
    assert [(c.days, c.reason) for c in consents] == [
        (30, "等待机构总行批复"),
        (60, "申请人住院治疗"),
        (90, "双方同意继续协商"),
    ]
    assert all(
        c.applicant_consent_on == D("2026-03-09") and c.respondent_consent_on == D("2026-03-10") for c in consents
    )
    assert DeadlineRule.objects.get(code="M-ENTRUST").max_extension_days is None


def test_an_entrusted_case_is_extended_past_30_days_too(make_mediation, paper_mediator, clerk_a, client_for):
    with at("2026-03-10"):
        case = make_mediation(stage="mediating", source=Source.COURT_AFTER_FILING, mediator=paper_mediator)
        _extend_on_page(client_for(clerk_a), case, 45, "鉴定未完成")
    deadline = _deadlines(case, "M-ENTRUST").get()
    # 2026-03-02 + 15 + 45 = 2026-05-01, 劳动节 → the next working day, 2026-05-06.
    assert deadline.extension_days == 45 and deadline.due_on == D("2026-05-06")


def test_an_extension_without_both_consents_is_refused_on_the_page(make_mediation, paper_mediator, clerk_a, client_for):
    with at("2026-03-10"):
        case = make_mediation(stage="mediating", source=Source.COURT_BEFORE_FILING, mediator=paper_mediator)
        response = _extend_on_page(client_for(clerk_a), case, 30, "等待批复", respondent="")
    assert "延长调解期限须经双方当事人同意，请登记双方同意的日期。" in response.content.decode()
    assert _deadlines(case, "M-COURT").get().extension_days == 0
    assert not ExtensionConsent.objects.exists()


def test_the_workstations_own_clock_keeps_its_cap(make_mediation, clerk_a, client_for):
    with at("2026-03-10"):
        case = make_mediation(stage="accepted")
        response = _extend_on_page(client_for(clerk_a), case, 31, "复杂")
    assert "超过规则允许的最长延期 30 天" in response.content.decode()
    assert _deadlines(case, "M-ADR").get().extension_days == 0


def test_the_migration_uncaps_the_seeded_court_rules_but_keeps_an_administrators_cap():
    court = DeadlineRule.objects.get(code="M-COURT")
    court.max_extension_days, court.extension_approver = 30, "双方当事人同意"
    court.save()
    entrust = DeadlineRule.objects.get(code="M-ENTRUST")
    entrust.max_extension_days = 45  # the office's own value
    entrust.save()

    uncapping.uncap(apps, None)

    court.refresh_from_db()
    assert (court.max_extension_days, court.extension_approver) == (None, "双方当事人同意（不设上限）")
    assert court.history.first().history_change_reason == uncapping.REASON
    assert DeadlineRule.objects.get(code="M-ENTRUST").max_extension_days == 45


# --- Judicial confirmation for 委派 and workstation agreements; a 委托 agreement goes back to the court ----------


def test_an_entrusted_agreement_opens_no_confirmation_clock_and_is_returned_to_the_court(
    make_mediation, paper_mediator, clerk_a, client_for
):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = make_mediation(stage="agreement", source=Source.COURT_AFTER_FILING, mediator=paper_mediator)
        page = client.get(_detail(case))
    assert not _deadlines(case, "M-CONF").exists()
    offered = page_forms(page)
    assert "return_to_court" in offered and "confirmation" not in offered and "waive_confirmation" not in offered
    assert "待退回委托法院出具调解书" in page.content.decode()

    # Posting the confirmation anyway is refused with the reason; nothing is recorded.
    with at("2026-03-10"):
        response = client.post(
            reverse("mediation:case_action", args=[case.pk, "confirmation"]),
            {"applied_on": "2026-03-09", "court": "莱州市人民法院", "case_number": "（2026）鲁0683民特1号"},
            follow=True,
        )
        waived = client.post(
            reverse("mediation:case_action", args=[case.pk, "waive_confirmation"]), {"reason": "不申请"}, follow=True
        )
    assert (
        "法院立案后委托调解达成的协议不申请司法确认：应退回委托法院，由法院依法出具调解书。"
        in response.content.decode()
    )
    assert "应退回委托法院" in waived.content.decode()
    case.refresh_from_db()
    assert case.confirmation_applied_on is None and case.confirmation_court == ""

    # The return through the page's real form.
    with at("2026-03-10"):
        url, data = page_form(page, "return_to_court")
        data["note"] = "协议及案卷移送莱州市人民法院立案庭，张法官签收"
        response = client.post(url, data, follow=True)
        again = client.get(_detail(case))
    assert "退回法院（委托调解协议）：已完成。" in response.content.decode()
    case.refresh_from_db()
    assert case.returned_to_court_on == D("2026-03-10")
    assert case.returned_to_court_note == "协议及案卷移送莱州市人民法院立案庭，张法官签收"
    assert AuditEntry.objects.filter(action="mediation.case.returned_to_court", object_id=case.pk).count() == 1
    assert "return_to_court" not in page_forms(again)
    assert 'data-testid="returned-to-court">2026-03-10：协议及案卷移送莱州市人民法院立案庭' in again.content.decode()
    with at("2026-03-10"), pytest.raises(ValidationError, match="已于 2026-03-10 退回法院"):
        mediation_return_to_court(actor=clerk_a, case=case, returned_on=D("2026-03-10"), note="再次")


def test_a_return_dated_before_the_agreement_is_refused(make_mediation, paper_mediator, clerk_a, client_for):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = make_mediation(stage="agreement", source=Source.COURT_AFTER_FILING, mediator=paper_mediator)
        url, data = page_form(client.get(_detail(case)), "return_to_court")
        data["returned_on"] = "2026-03-01"
        response = client.post(url, data, follow=True)
    assert "退回日期应在协议签订之后、今天之前。" in response.content.decode()
    case.refresh_from_db()
    assert case.returned_to_court_on is None


@pytest.mark.parametrize("source", [Source.COURT_BEFORE_FILING, Source.DIRECT])
def test_delegated_and_workstation_agreements_apply_for_confirmation_and_are_not_returned(
    make_mediation, paper_mediator, clerk_a, client_for, source
):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = make_mediation(stage="agreement", source=source, mediator=paper_mediator)
        page = client.get(_detail(case))
        offered = page_forms(page)
        assert {"confirmation", "waive_confirmation"} <= offered and "return_to_court" not in offered
        with pytest.raises(ValidationError, match="只有法院立案后委托调解达成的协议才退回法院"):
            mediation_return_to_court(actor=clerk_a, case=case, returned_on=D("2026-03-10"), note="退回")
        url, data = page_form(page, "confirmation")
        data.update(applied_on="2026-03-09", case_number="（2026）鲁0683民特7号")
        response = client.post(url, data, follow=True)
    assert "司法确认：已完成。" in response.content.decode()
    case.refresh_from_db()
    assert case.confirmation_applied_on == D("2026-03-09") and case.returned_to_court_on is None
    assert _deadlines(case, "M-CONF").get().status == Deadline.Status.DONE


def test_an_entrusted_confirmation_is_refused_by_the_service_whatever_calls_it(make_mediation, paper_mediator, clerk_a):
    with at("2026-03-10"):
        case = make_mediation(stage="agreement", source=Source.COURT_AFTER_FILING, mediator=paper_mediator)
        with pytest.raises(ValidationError, match="应退回委托法院"):
            mediation_record_confirmation(actor=clerk_a, case=case, applied_on=D("2026-03-09"), court="莱州市人民法院")


def test_an_entrusted_agreement_says_it_goes_to_the_court_not_to_judicial_confirmation(
    make_mediation, paper_mediator, clerk_a, client_for, tmp_path
):
    import subprocess

    with at("2026-03-10"):
        case = make_mediation(stage="agreement", source=Source.COURT_AFTER_FILING, mediator=paper_mediator)
        response = client_for(clerk_a).get(reverse("mediation:agreement_pdf", args=[case.pk]))
    path = tmp_path / "agreement.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    assert "由人民法院依法审查并出具调解书" in compact and "（2026）鲁0683民初123号" in compact
    assert "申请司法确认" not in compact
