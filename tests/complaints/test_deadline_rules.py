"""The deadline rules as the law states them (docs/domain.md「期限规则」), their correction in a database seeded
before, and running clocks keeping the rule they were computed with."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import Deadline, DeadlineRule

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
corrections = importlib.import_module("core.migrations.0012_statutory_rules_2026")

EXPECTED = {
    # code: (days, counting, clock start, legal source)
    "P-ACK": (15, "calendar", "收到信访事项", "《信访工作条例》第二十三条"),
    "P-REPLY": (60, "calendar", "受理", "《信访工作条例》第三十四条"),
    "P-SUGGEST": (60, "calendar", "受理", "《信访工作条例》第二十九条、第三十条"),
    "P-REVIEW": (30, "calendar", "收到复查/复核请求", "《信访工作条例》第三十五条、第三十六条"),
    "C-FWD": (7, "working", "收到投诉", "《银行业保险业消费投诉处理管理办法》第三十三条"),
    "C-CHECK": (30, "calendar", "收到核查申请", "《银行业保险业消费投诉处理管理办法》第二十条"),
    "M-COURT": (30, "calendar", "调解员签收材料", "《最高人民法院关于人民法院特邀调解的规定》第二十七条"),
    "M-ENTRUST": (
        15,
        "calendar",
        "调解员签收材料",
        "《最高人民法院关于人民法院特邀调解的规定》第二十七条（适用简易程序的为7日）",
    ),
}


def test_the_migrated_rules_state_the_law():
    rules = {r.code: (r.days, r.count_kind, r.clock_start, r.legal_source) for r in DeadlineRule.objects.all()}
    for code, expected in EXPECTED.items():
        assert rules[code] == expected, code
    assert rules["C-INST"][2] == "机构收到投诉（签收）" and rules["C-INST"][3].startswith(
        "《银行业保险业消费投诉处理管理办法》第十八条"
    )
    assert not any("银行保险机构消费投诉" in source for *_, source in rules.values())


def _seed_as_before(code, **fields):
    rule = DeadlineRule.objects.get(code=code)
    for field, value in fields.items():
        setattr(rule, field, value)
    rule.save()
    return rule


def test_a_database_seeded_before_is_corrected_but_an_administrators_value_is_kept():
    _seed_as_before("C-FWD", days=5, name="投诉：转送被投诉机构", legal_source="《银行保险机构消费投诉处理管理办法》")
    # The office had set its own P-REPLY citation: the correction leaves it alone.
    _seed_as_before("P-REPLY", legal_source="本局规定")
    DeadlineRule.objects.filter(code="M-ENTRUST").delete()

    corrections.correct_rules(apps, None)

    c_fwd = DeadlineRule.objects.get(code="C-FWD")
    assert (c_fwd.days, c_fwd.legal_source) == (7, "《银行业保险业消费投诉处理管理办法》第三十三条")
    assert c_fwd.history.first().history_change_reason == corrections.REASON
    assert DeadlineRule.objects.get(code="P-REPLY").legal_source == "本局规定"
    entrust = DeadlineRule.objects.get(code="M-ENTRUST")
    assert entrust.days == 15 and entrust.history.first().history_type == "+"
    corrections.correct_rules(apps, None)  # twice changes nothing more
    assert c_fwd.history.count() == DeadlineRule.objects.get(code="C-FWD").history.count()


def test_a_complaint_gets_7_working_days_to_be_forwarded(register, frozen):
    case = register("complaint")
    deadline = Deadline.objects.get(object_id=case.pk, rule__code="C-FWD")
    # Received Tuesday 2026-03-10: 7 working days end on Thursday 03-19.
    assert (deadline.rule_days, deadline.started_on, deadline.due_on) == (7, D("2026-03-10"), D("2026-03-19"))


def test_a_running_clock_keeps_its_rule_and_the_admin_lists_it(register, frozen, administrator, client_for):
    case = register("complaint")
    running = Deadline.objects.get(object_id=case.pk, rule__code="C-FWD")
    _seed_as_before("C-FWD", days=10)  # the administrator changes the rule after the clock started
    running.refresh_from_db()
    assert (running.rule_days, running.due_on) == (7, D("2026-03-19"))
    assert list(Deadline.objects.open().made_under_older_rule()) == [running]

    client = client_for(administrator)
    rules_page = client.get(reverse("admin:core_deadlinerule_changelist"))
    assert "按旧规则计算的未结期限" in rules_page.text and "1 件" in rules_page.text
    listed = client.get(reverse("admin:core_deadline_changelist"), {"made_under": "older"})
    assert running.label in listed.text and "旧规则" in listed.text
    current = client.get(reverse("admin:core_deadline_changelist"), {"made_under": "current"})
    assert running.label not in current.text
