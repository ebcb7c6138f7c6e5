"""The malformed inputs the security review found answering 500, each answered now in Chinese or by the default
page (README 安全, “畸形输入不出错”). tests/core/test_fuzz_inputs.py walks every page and form systematically."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from core.models import OrgUnit
from mediation.forms import OfferForm, PaymentForm

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_ledger_page_number_beyond_any_integer_shows_a_page(client_for, clerk_a):
    response = client_for(clerk_a).get(reverse("complaints:index"), {"page": HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize("year", ["0", "-1", HUGE, "1.5"])
def test_outreach_year_out_of_range_is_ignored_with_a_message(client_for, clerk_a, year):
    response = client_for(clerk_a).get(reverse("outreach:index"), {"year": year})
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", f"{HUGE}-01"])
def test_outreach_calendar_month_out_of_range_shows_the_current_month(client_for, clerk_a, month):
    response = client_for(clerk_a).get(reverse("outreach:calendar"), {"month": month})
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_date_filters_at_the_ends_of_the_calendar_are_refused_in_words(client_for, clerk_a, day):
    client = client_for(clerk_a)
    contacts = client.get(reverse("complaints:contact_list"), {"received_from": day, "received_to": day})
    assert contacts.status_code == 200
    assert "日期须在 1900 年至 2100 年之间。" in contacts.content.decode()
    ledger = client.get(reverse("complaints:index"), {"received_to": day, "due_to": day})
    assert ledger.status_code == 200
    summary = client.get(reverse("complaints:summary"), {"from": day, "to": day})
    assert summary.status_code == 200
    assert f"日期须在 1900 年至 2100 年之间：{day}" in summary.content.decode()


def test_nul_byte_in_a_parameter_is_refused_with_a_clear_message(client_for, clerk_a):
    response = client_for(clerk_a).get(reverse("institutions:ranking"), {"org": "laizhou\x00"})
    assert response.status_code == 400
    assert "提交的内容含有不允许的控制字符（NUL），请删除后重试。" in response.content.decode()
    assert response["Content-Security-Policy"]


def test_nul_byte_in_a_form_field_changes_nothing(client_for, clerk_a):
    before = OrgUnit.objects.count()
    response = client_for(clerk_a).post(reverse("complaints:intake"), {"summary": "信用卡\x00分期", "name": "王小明"})
    assert response.status_code == 400
    assert OrgUnit.objects.count() == before


@pytest.mark.parametrize("form_class", [OfferForm, PaymentForm])
def test_mediation_amount_of_twenty_digits_is_refused_by_the_form(form_class):
    with pytest.raises(forms.ValidationError) as exc:
        form_class.base_fields["amount"].clean("9" * 20)
    assert "14" in exc.value.messages[0]


def test_multi_select_id_beyond_64_bits_is_an_invalid_choice_not_a_crash(orgs):
    field = forms.ModelMultipleChoiceField(queryset=OrgUnit.objects.all())
    with pytest.raises(forms.ValidationError) as exc:
        field.clean([str(2**64), str(orgs["laizhou"].pk)])
    assert "不在可用的选项中" in exc.value.messages[0]
    assert list(OrgUnit.objects.filter(pk__in=[2**64])) == []


@pytest.mark.parametrize(
    ("route", "fields"),
    [
        ("outreach:figures", ("start", "end")),
        ("mediation:figures", ("start", "end")),
        ("institutions:ranking", ("start", "end")),
    ],
)
def test_period_and_start_dates_at_the_ends_of_the_calendar_are_refused_in_words(client_for, clerk_a, route, fields):
    for day in ("9999-12-31", "0001-01-01"):
        response = client_for(clerk_a).get(reverse(route), dict.fromkeys(fields, day))
        assert response.status_code == 200
        assert "日期须在 1900 年至 2100 年之间。" in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_deadline_calculator_at_the_ends_of_the_calendar_answers_the_page(client_for, clerk_a, day):
    # The calculator keeps its own wording for years without a calendar (test_views.py); it must not crash.
    for kind in ("calendar", "working"):
        response = client_for(clerk_a).get(
            reverse("core:deadline_calculator"), {"start": day, "days": "10", "kind": kind}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "工作日历尚未维护" in body or "超出可计算的日期范围" in body
