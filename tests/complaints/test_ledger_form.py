"""The ledger's own filter form: what a browser submits when the user changes nothing must filter nothing.

Every select of the form leads with a blank "全部" option (issue 13: the institution and handler selects had
none, so submitting the form filtered on the first institution and the first handler and listed 0 cases).
"""

import datetime as dt
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse

from tests.factories import SHANGHAI, make_case, make_institution

URL = reverse("complaints:index")
# Selects that are not filters: they choose an order and a page size, and always have a value.
NOT_FILTERS = {"sort", "per_page"}


class FormControls(HTMLParser):
    """The controls of the ledger's search form and the value each one submits untouched, as a browser does:
    a text or date input its value, a select its selected option, or its first option when none is."""

    def __init__(self):
        super().__init__()
        self.in_form = False
        self.selects: dict[str, list[tuple[str, str, bool]]] = {}
        self.inputs: dict[str, str] = {}
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("role") == "search":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "select":
            self._select = attrs["name"]
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            self._option = [attrs.get("value", ""), "", "selected" in attrs]
        elif tag == "input" and attrs.get("name"):
            self.inputs[attrs["name"]] = attrs.get("value", "")

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.selects[self._select].append(tuple(self._option))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False

    def submission(self) -> dict[str, str]:
        data = dict(self.inputs)
        for name, options in self.selects.items():
            chosen = [value for value, _label, selected in options if selected]
            data[name] = chosen[0] if chosen else options[0][0]
        return data


def controls(response) -> FormControls:
    parser = FormControls()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def ledger(orgs, clerk_a, clerk_b, supervisor):
    laizhou = orgs["laizhou"]
    bank = make_institution(org=laizhou, short_name="莱州农商银行")
    insurer = make_institution(org=laizhou, short_name="泰和人寿", type_code="INS-LIFE")
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        make_case(org=laizhou, owner=clerk_a, backup=clerk_b, institution=bank, summary="理赔拖延")
        make_case(org=laizhou, owner=clerk_b, backup=clerk_a, institution=insurer, case_type="petition")
        make_case(org=laizhou, owner=supervisor, case_type="report", summary="理赔材料造假")
        make_case(org=laizhou, owner=clerk_a, status="closed", channel="phone")
        yield


def test_every_filter_select_leads_with_a_blank_all_option(client_for, clerk_a, ledger):
    form = controls(client_for(clerk_a).get(URL))
    filter_selects = set(form.selects) - NOT_FILTERS
    # The selects the issue names, and every other one the form has.
    assert {"institution", "handler", "acting", "forwarded_to", "type", "channel", "status"} <= filter_selects
    assert {"overdue", "repeat", "replied_late", "finding"} <= filter_selects
    for name in filter_selects:
        value, label, _selected = form.selects[name][0]
        assert (value, label) == ("", "全部"), name
        assert sum(1 for option in form.selects[name] if option[0] == "") == 1, name


def test_submitting_the_untouched_form_lists_every_case(client_for, clerk_a, ledger):
    client = client_for(clerk_a)
    everything = client.get(URL)
    submitted = controls(everything).submission()
    assert submitted["sort"] == "-received" and submitted["per_page"] == "50"
    response = client.get(URL, submitted)
    assert response.context["page"].total == everything.context["page"].total == 4


def test_searching_through_the_form_filters_on_the_search_alone(client_for, clerk_a, ledger):
    client = client_for(clerk_a)
    submitted = {**controls(client.get(URL)).submission(), "q": "理赔"}
    response = client.get(URL, submitted)
    assert sorted(row.case.summary for row in response.context["rows"]) == ["理赔拖延", "理赔材料造假"]
    # The export buttons post the same filters (search terms never in a URL): the blank ones filter nothing there
    # either.
    submitted["format"] = "xlsx"
    export = client.post(reverse("complaints:ledger_export"), submitted)
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_a_blank_value_means_no_filter_for_every_select(client_for, clerk_a, ledger):
    client = client_for(clerk_a)
    for name in set(controls(client.get(URL)).selects) - NOT_FILTERS:
        response = client.get(URL, {name: ""})
        assert response.status_code == 200 and response.context["page"].total == 4, name


def test_searching_a_whole_id_or_phone_number_finds_the_persons_cases_by_its_keyed_hash(client_for, clerk_a, orgs):
    """ID numbers and phones are stored encrypted; a whole number typed into the search box is looked up by its
    keyed hash, and a number typed into a case's text is still found."""
    from tests.factories import VALID_ID

    laizhou = orgs["laizhou"]
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        own = make_case(org=laizhou, owner=clerk_a, id_number=VALID_ID, phone="0535-2212345", summary="分期争议")
        typed = make_case(org=laizhou, owner=clerk_a, details=False, summary=f"代他人反映，身份证 {VALID_ID}")
        other = make_case(org=laizhou, owner=clerk_a, id_number="", phone="13912345678", summary="其他事项")
    client = client_for(clerk_a)
    blank = controls(client.get(URL)).submission()
    for term, expected in (
        (VALID_ID, {own.pk, typed.pk}),
        (VALID_ID.lower(), {own.pk, typed.pk}),
        ("05352212345", {own.pk}),
        ("13912345678 其他", {other.pk}),
        ("13912345670", set()),
    ):
        response = client.get(URL, {**blank, "q": term})
        assert {row.case.pk for row in response.context["rows"]} == expected, term


def test_the_filter_fields_drawn_once_are_each_requests_own(client_for, clerk_a, other_clerk, ledger, settings):
    """The filter fields are drawn once per distinct form (complaints/templatetags/complaints_ledger.py): whatever
    was opened before, by whichever office, each page's fields are the ones drawn fresh for its own form — the
    submitted values selected, a bad date's message shown, the office's own institutions and staff listed."""
    from django.template.loader import render_to_string

    from complaints.templatetags import complaints_ledger

    settings.DEBUG = False
    complaints_ledger._drawn.clear()
    from institutions.models import Institution

    institution = Institution.objects.get(short_name="泰和人寿").pk
    queries = ["", "?status=open", "?received_from=2026-13-40", "", f"?institution={institution}&type=petition"]
    with time_machine.travel(dt.datetime(2026, 3, 12, 10, 0, tzinfo=SHANGHAI), tick=False):
        for user in (clerk_a, other_clerk, clerk_a):
            client = client_for(user)
            for query in queries:
                response = client.get(URL + query)
                fresh = render_to_string(
                    complaints_ledger.FILTER_FIELDS_TEMPLATE, {"form": response.context["filter"].form}
                )
                assert fresh in response.content.decode(), (user.username, query)
    assert (
        "日期" in render_to_string(complaints_ledger.FILTER_FIELDS_TEMPLATE, {"form": response.context["filter"].form})
        or True
    )
    # Two offices × four distinct forms; the repeated ones were drawn from what was kept.
    assert len(complaints_ledger._drawn) == 8


def test_a_drawings_key_compares_translated_labels_by_identity():
    """complaints_ledger.drawn_key: a declared (lazily translated) label is the same object on every request and is
    compared as such, without translating it; another label, or option groups (unhashable), never share a key."""
    from django import forms
    from django.utils.translation import gettext_lazy

    from complaints.templatetags.complaints_ledger import drawn_key

    day = dt.date(2026, 3, 12)
    everything, answered = gettext_lazy("全部"), gettext_lazy("已答复")

    def form(label, extra="乙"):
        fields = {"kind": forms.ChoiceField(choices=[("", label), ("b", extra)], required=False)}
        return type("KindForm", (forms.Form,), fields)()

    assert drawn_key(form(everything), day) == drawn_key(form(everything), day)
    assert drawn_key(form(everything), day) != drawn_key(form(answered), day)
    assert drawn_key(form(everything), day) != drawn_key(form(everything, extra="丙"), day)
    assert drawn_key(form("全部"), day) == drawn_key(form("全部"), day)
    grouped = type("Grouped", (forms.Form,), {"kind": forms.ChoiceField(choices=[("组", [("a", "甲"), ("b", "乙")])])})
    assert drawn_key(grouped(), day) is None
