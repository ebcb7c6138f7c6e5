import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints.models import Case, CaseEvent, Contact
from complaints.services import contact_register, possible_repeats
from core.models import AuditEntry, Deadline
from tests.complaints.conftest import VALID_ID, VALID_PHONE
from tests.factories import at

pytestmark = pytest.mark.django_db


def test_phone_call_answered_on_the_spot_opens_no_case(clerk_a, frozen):
    contact = contact_register(
        actor=clerk_a,
        channel="phone",
        topic=Contact.Topic.CONSULTATION,
        summary="咨询征信异议如何申请",
        outcome=Contact.Outcome.ANSWERED,
        answer="告知可向人民银行征信中心或商业银行提出异议。",
        phone="0535-2212345",
    )
    assert contact.case is None
    assert contact.outcome == "answered"
    assert Case.objects.count() == 0
    assert AuditEntry.objects.filter(action="complaints.contact.registered").count() == 1


def test_answered_contact_needs_the_answer(clerk_a, frozen):
    with pytest.raises(ValidationError) as exc:
        contact_register(actor=clerk_a, channel="phone", summary="咨询", outcome="answered")
    assert "请填写答复内容" in str(exc.value)
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("case_type", "prefix", "first_rule"),
    [("petition", "XF", "P-ACK"), ("report", "JB", "R-ACK"), ("complaint", "TS", "C-FWD")],
)
def test_opening_a_case_numbers_it_per_type_and_starts_the_receipt_clock(
    register, frozen, case_type, prefix, first_rule
):
    case = register(case_type)
    second = register(case_type)
    assert case.number == f"{prefix}-2026-0001"
    assert second.number == f"{prefix}-2026-0002"
    deadline = Deadline.objects.get(object_id=case.pk, content_type__model="case")
    assert deadline.rule.code == first_rule
    assert deadline.item_kind == f"case:{case_type}"
    assert deadline.owner == case.owner and deadline.backup == case.backup
    assert case.due_on == deadline.due_on
    assert case.contacts.get().outcome == "opened_case"
    assert CaseEvent.objects.filter(case=case, action="registered").exists()


def test_petition_ack_is_15_calendar_days_and_complaint_forward_7_working_days(register, frozen):
    assert register("petition").due_on == dt.date(2026, 3, 25)
    assert register("complaint").due_on == dt.date(2026, 3, 19)


def test_numbers_restart_each_year_and_per_office(register, clerk_a, other_clerk, orgs):
    from tests.factories import make_institution

    with at("2025-12-30"):
        old = register("petition")
    with at("2026-01-05"):
        new = register("petition")
        zy_institution = make_institution(org=orgs["zhaoyuan"])
        zy_case = register("petition", actor=other_clerk, institution=zy_institution)
    assert old.number == "XF-2025-0001"
    assert new.number == "XF-2026-0001"
    assert zy_case.number == "XF-2026-0001" and zy_case.org == orgs["zhaoyuan"]


def test_sent_down_petition_also_gets_the_objection_clock(register, frozen):
    case = register("petition", channel="sent_down", reference_no="烟金信交〔2026〕12号")
    codes = set(Deadline.objects.filter(object_id=case.pk).values_list("rule__code", flat=True))
    assert codes == {"P-ACK", "P-OBJ"}
    # 5 working days after Tuesday 2026-03-10.
    assert case.due_on == dt.date(2026, 3, 17)


def test_12378_and_sent_down_items_need_their_reference_number(clerk_a, institution, frozen):
    with pytest.raises(ValidationError) as exc:
        contact_register(
            actor=clerk_a,
            channel="12378",
            summary="理赔纠纷",
            outcome="opened_case",
            case_type="complaint",
            name="李四",
            phone=VALID_PHONE,
            institution=institution,
        )
    assert "工单编号" in str(exc.value)
    assert Case.objects.count() == 0


def test_wrong_id_check_digit_is_refused_and_nothing_saved(clerk_a, institution, frozen):
    with pytest.raises(ValidationError) as exc:
        contact_register(
            actor=clerk_a,
            channel="visit",
            summary="理赔纠纷",
            outcome="opened_case",
            case_type="complaint",
            name="李四",
            id_number="370683199001011238",
            phone="1381234",
            institution=institution,
        )
    assert "校验位不正确" in str(exc.value)
    assert "电话号码格式不正确" in str(exc.value)
    assert Contact.objects.count() == 0 and Case.objects.count() == 0


def test_group_visit_records_size_and_up_to_five_representatives(register, clerk_a, institution, frozen):
    reps = [{"name": f"代表{i}", "id_number": "", "phone": ""} for i in range(1, 4)]
    case = register("petition", group_size=30, representatives=reps)
    contact = case.contacts.get()
    assert contact.group_size == 30 and case.group_size == 30
    assert [r.name for r in contact.representatives.order_by("id")] == ["代表1", "代表2", "代表3"]

    with pytest.raises(ValidationError) as exc:
        register("petition", group_size=30, representatives=[{"name": f"代表{i}"} for i in range(6)])
    assert "最多登记五名代表" in str(exc.value)


def test_anonymous_is_only_for_reports_and_has_no_clock(register, frozen):
    case = register("report", is_anonymous=True)
    assert case.name == "" and case.id_number == "" and case.phone == ""
    assert case.due_on is None
    assert not Deadline.objects.filter(object_id=case.pk).exists()
    with pytest.raises(ValidationError):
        register("petition", is_anonymous=True)


def test_report_with_incomplete_materials_waits_without_a_clock(register, frozen):
    case = register("report", materials_complete=False)
    assert case.status == "materials_pending"
    assert case.due_on is None


def test_complaint_needs_institution_and_phone(register, frozen):
    with pytest.raises(ValidationError) as exc:
        register("complaint", institution=None, phone="")
    assert "被投诉机构" in str(exc.value) and "联系电话" in str(exc.value)


def test_repeat_contact_joins_the_first_case(register, clerk_a, institution, frozen):
    case = register("complaint")
    contact = contact_register(
        actor=clerk_a,
        channel="phone",
        summary="再次反映分期手续费",
        outcome="repeat",
        repeat_of=case,
        phone=VALID_PHONE,
    )
    assert contact.case == case
    assert Case.objects.count() == 1
    assert case.events.filter(action="repeat_contact").exists()


def test_repeat_of_another_office_case_is_refused(register, other_clerk, frozen):
    case = register("complaint")
    with pytest.raises(ValidationError):
        contact_register(actor=other_clerk, channel="phone", summary="x", outcome="repeat", repeat_of=case)


def test_possible_repeats_same_person_last_12_months_same_institution_first(register, clerk_a, institution, orgs):
    from tests.factories import make_institution

    other_bank = make_institution(org=orgs["laizhou"])
    with at("2025-01-05"):
        register("complaint")  # older than 12 months
    with at("2026-03-01"):
        other = register("complaint", institution=other_bank)
        same = register("complaint", phone="13900000000")
    with at("2026-03-10"):
        by_id = possible_repeats(user=clerk_a, id_number=VALID_ID, institution_id=institution.pk)
        by_phone = possible_repeats(user=clerk_a, phone="13900000000")
        nothing = possible_repeats(user=clerk_a, institution_id=institution.pk)
    assert by_id == [same, other]
    assert by_phone == [same]
    assert nothing == []


def test_possible_repeats_never_cross_offices(register, other_clerk, frozen):
    register("complaint")
    assert possible_repeats(user=other_clerk, id_number=VALID_ID) == []


def test_mediator_cannot_register(mediator, frozen):
    with pytest.raises(PermissionDenied):
        contact_register(actor=mediator, channel="phone", summary="x", outcome="answered", answer="y")


def test_a_year_missing_from_the_calendar_is_loaded_and_the_case_opens(register, clerk_a, frozen):
    """docs/domain.md (工作日历): a missing year never refuses work; 2026 is reloaded from the official library."""
    from core.models import WorkCalendarYear

    WorkCalendarYear.objects.filter(year=2026).delete()
    case = register("petition")
    assert case.due_on is not None and not case.due_provisional
    assert WorkCalendarYear.objects.filter(year=2026).exists()
