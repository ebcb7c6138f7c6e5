"""A database error at the last step of a multi-step write leaves nothing half-done.

Each test breaks the final call of a real service with a database error and then compares every table of the
project (history tables, audit log, deadlines, number sequences included) with its state before the call.
The tests commit for real (transactional), so what is left is what another request would see.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, IntegrityError
from django.utils import timezone

from complaints.models import Case, Contact
from complaints.services import contact_register
from complaints.services.common import case_deadlines
from complaints.services.complaint import complaint_forward
from core.models import NumberSequence
from institutions.models import Institution
from mediation.models import Side
from mediation.services import (
    mediation_assign,
    mediation_declare_recusal,
    mediation_record_consent,
    mediation_record_outcome,
    mediation_refer_from_case,
    session_record,
)
from tests.factories import SHANGHAI
from tests.institutions.test_import import GOOD, workbook

pytestmark = pytest.mark.django_db(transaction=True)


def database_state() -> dict:
    """Row counts of every table, and the values of the number sequences (they change in place)."""
    state = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    state["sequences"] = sorted(NumberSequence.objects.values_list("org_id", "key", "year", "last_value"))
    return state


def changed(before: dict, after: dict) -> dict:
    return {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }


def fail_on(monkeypatch, module, name: str, error: Exception, *, only_for_action: str | None = None) -> list:
    """Make `module.name` raise `error` (for log_action: only for one action); returns the calls it saw."""
    original = getattr(module, name)
    calls = []

    def broken(*args, **kwargs):
        calls.append(kwargs.get("action"))
        if only_for_action is None or kwargs.get("action") == only_for_action:
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, broken)
    return calls


INTAKE = {
    "channel": "visit",
    "summary": "信用卡分期手续费争议",
    "outcome": Contact.Outcome.OPENED_CASE,
    "case_type": "complaint",
    "name": "王小明",
    "id_number": "370683199001011237",
    "phone": "13812345678",
    "content": "反映银行未告知分期手续费。",
    "representatives": [],
}


def test_intake_failing_at_its_audit_entry_leaves_no_contact_case_deadline_or_history(
    frozen, monkeypatch, clerk_a, institution
):
    import complaints.services.intake as intake  # where contact_register looks log_action up

    before = database_state()
    calls = fail_on(
        monkeypatch,
        intake,
        "log_action",
        IntegrityError("audit insert failed"),
        only_for_action="complaints.contact.registered",
    )
    with pytest.raises(IntegrityError):
        contact_register(actor=clerk_a, institution=institution, **INTAKE)
    assert calls == ["complaints.contact.registered"], "the failure came at the last step"
    assert changed(before, database_state()) == {}
    # The number the failed intake drew was rolled back with it: the next case gets it.
    monkeypatch.undo()
    contact = contact_register(actor=clerk_a, institution=institution, **INTAKE)
    assert contact.case.number == "TS-2026-0001"


def test_forwarding_failing_at_its_last_step_leaves_the_case_as_it_was(frozen, monkeypatch, register):
    import complaints.services.complaint as complaint_services

    case = register("complaint")
    fields_before = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}
    before = database_state()
    fail_on(monkeypatch, complaint_services, "log_case", DatabaseError("connection lost"))
    with pytest.raises(DatabaseError):
        complaint_forward(
            told_via="phone",
            told_on=timezone.localdate(),
            actor=case.owner,
            case=case,
            version=case.version,
            requirement="请15日内处理",
        )
    assert changed(before, database_state()) == {}
    case.refresh_from_db()
    assert {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields} == fields_before
    assert list(case_deadlines(case).open().values_list("rule__code", flat=True)) == ["C-FWD"]
    # And the same action goes through once the database is back.
    monkeypatch.undo()
    forwarding = complaint_forward(
        told_via="phone", told_on=timezone.localdate(), actor=case.owner, case=case, version=case.version
    )
    case.refresh_from_db()
    assert case.status == "forwarded" and forwarding.slip_number == "莱州金融监管支局〔2026〕1号"
    # C-FWD is done; the institution's C-INST waits for its 签收.
    assert list(case_deadlines(case).values_list("rule__code", "status")) == [("C-FWD", "done")]


def test_mediation_agreement_failing_when_it_closes_the_ledger_case_leaves_both_open(
    frozen, monkeypatch, register, clerk_a, paper_mediator
):
    import complaints.services.mediation_link as link

    ledger_case = register("complaint")
    mediation = mediation_refer_from_case(actor=clerk_a, case=ledger_case)
    for side in (Side.APPLICANT, Side.RESPONDENT):
        mediation_record_consent(actor=clerk_a, case=mediation, side=side, consent_on=dt.date(2026, 3, 10))
    mediation_assign(actor=clerk_a, case=mediation, mediator=paper_mediator)
    mediation_declare_recusal(
        actor=clerk_a, case=mediation, has_conflict=False, statement="无利害关系", declared_on=dt.date(2026, 3, 10)
    )
    session_record(
        actor=clerk_a,
        case=mediation,
        held_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI),
        mode="online",
        attendees="双方",
    )
    mediation.refresh_from_db()
    before = database_state()
    fail_on(monkeypatch, link, "case_record_mediation_outcome", IntegrityError("ledger update failed"))
    agreement = {
        "outcome": "agreement",
        "agreement_terms": "保险公司补足差额 4200 元。",
        "performance_method": "转账",
        "performance_due_on": dt.date(2026, 3, 20),
        "amount_agreed": Decimal("4200.00"),
    }
    with pytest.raises(IntegrityError):
        mediation_record_outcome(actor=clerk_a, case=mediation, **agreement)
    assert changed(before, database_state()) == {}
    mediation.refresh_from_db()
    ledger_case.refresh_from_db()
    assert mediation.status == "mediating" and mediation.agreement_number == "" and mediation.outcome == ""
    assert ledger_case.is_open
    monkeypatch.undo()
    mediation_record_outcome(actor=clerk_a, case=mediation, **agreement)
    mediation.refresh_from_db()
    ledger_case.refresh_from_db()
    assert mediation.agreement_number == "莱和调协〔2026〕1号" and ledger_case.status == "closed"


def test_institutions_import_failing_at_its_audit_entry_imports_nothing(monkeypatch, administrator):
    import institutions.services.importer as importer

    before = database_state()
    fail_on(monkeypatch, importer, "log_action", IntegrityError("audit insert failed"))
    with pytest.raises(IntegrityError):
        importer.institutions_import(actor=administrator, upload=workbook(*GOOD))
    assert changed(before, database_state()) == {}
    assert not Institution.objects.filter(short_name__in=["莱州农商行", "城港路支行"]).exists()
    monkeypatch.undo()
    assert importer.institutions_import(actor=administrator, upload=workbook(*GOOD)).created == 2
