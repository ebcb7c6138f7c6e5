"""Transfers to another authority (docs/domain.md, "转送其他机关"): the 转送函, the authority's acknowledgement and
the petitioner told, all through the case page's forms; the transfers register filtered through its own form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import Transfer
from complaints.services.transfers import petition_transfer, transfer_acknowledge
from tests.complaints.page_forms import page_actions, page_form
from tests.complaints.test_documents_and_attachments import fetch_pdf, pdf_text
from tests.factories import at

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
REGISTER = reverse("complaints:transfer_list")


def page(client, case):
    return client.get(reverse("complaints:case_detail", args=[case.pk])).content.decode()


def test_transfer_letter_acknowledgement_and_notice_through_the_case_page(register, clerk_a, client_for, tmp_path):
    client = client_for(clerk_a)
    with at("2026-03-10"):
        case = register("petition", summary="反映网络借贷平台暴力催收")
        form = page_form(page(client, case), data_action="petition_transfer")
        assert form.selects["authority"] == ["", "pboc", "local_finance", "police", "market", "court"]
        client.post(
            form.url,
            form.fill(
                authority="local_finance",
                authority_name="莱州市地方金融监督管理局",
                reason="网络借贷平台不属本机关监管",
            ),
        )
        case.refresh_from_db()
        assert (case.status, case.closure) == ("closed", "not_our_remit")
        document, content = fetch_pdf(client, case, "transfer_letter")
        text = pdf_text(tmp_path, content)
        for words in (
            "信访事项转送函",
            "莱州市地方金融监督管理局",
            "地方金融管理部门",
            "网络借贷平台不属本机关监管",
            "回执",
        ):
            assert words in text, words
        transfer = Transfer.objects.get(case=case)
        assert transfer.letter_number == document.number and transfer.transferred_on == D("2026-03-10")
        assert page_actions(page(client, case)) == ["transfer_acknowledge", "transfer_tell"]
    with at("2026-03-13"):
        form = page_form(page(client, case), data_action="transfer_acknowledge")
        # A date in the future is refused by the page's form; nothing is recorded.
        response = client.post(form.url, form.fill(on="2026-03-14", acknowledged_by="李娜"))
        assert response.status_code == 400 and "日期不能晚于今天。" in response.text
        client.post(form.url, form.fill(on="2026-03-12", acknowledged_by="李娜"))
        form = page_form(page(client, case), data_action="transfer_tell")
        assert form.selects["how"] == ["", "phone", "letter", "in_person", "sms", "other"]
        client.post(form.url, form.fill(on="2026-03-13", how="phone"))
        html = page(client, case)
    transfer.refresh_from_db()
    assert (transfer.acknowledged_on, transfer.acknowledged_by) == (D("2026-03-12"), "李娜")
    assert (transfer.told_on, transfer.told_how) == (D("2026-03-13"), "phone")
    assert page_actions(html) == [] and "李娜" in html
    assert list(case.events.values_list("action", flat=True))[-3:] == [
        "transferred",
        "transfer_acknowledged",
        "transfer_told",
    ]


def test_refusals_change_nothing(register, clerk_a):
    with at("2026-03-10"):
        case = register("petition")
        with pytest.raises(ValidationError):
            petition_transfer(
                actor=clerk_a, case=case, version=case.version, authority="", authority_name="x", reason="y"
            )
        with pytest.raises(ValidationError):
            petition_transfer(
                actor=clerk_a, case=case, version=case.version, authority="police", authority_name=" ", reason="y"
            )
        case.refresh_from_db()
        assert case.status == "registered" and not Transfer.objects.exists()
        petition_transfer(
            actor=clerk_a,
            case=case,
            version=case.version,
            authority="police",
            authority_name="莱州市公安局",
            reason="涉嫌诈骗",
        )
        case.refresh_from_db()
        version = case.version
        with pytest.raises(ValidationError) as refused:
            transfer_acknowledge(
                actor=clerk_a, case=case, version=case.version, acknowledged_on=D("2026-03-09"), acknowledged_by="张"
            )
        assert refused.value.message_dict == {"on": ["签收日期不能早于转送日期（2026-03-10）。"]}
    case.refresh_from_db()
    assert case.version == version and Transfer.objects.get().acknowledged_on is None


@pytest.fixture
def transfers(register, clerk_a, orgs, other_clerk):
    """Three transfers of 莱州 (police 03-02 acknowledged, court 03-10, police 03-20) and one of the other office."""
    made = {}
    for day, authority, name in [
        ("2026-03-02", "police", "莱州市公安局"),
        ("2026-03-10", "court", "莱州市人民法院"),
        ("2026-03-20", "police", "莱州市公安局城港路派出所"),
    ]:
        with at(day):
            case = register("petition", phone=f"1391234{len(made):04d}", id_number="")
            made[day] = petition_transfer(
                actor=clerk_a,
                case=case,
                version=case.version,
                authority=authority,
                authority_name=name,
                reason="不属本机关",
            )
    with at("2026-03-03"):
        case = made["2026-03-02"].case
        case.refresh_from_db()
        transfer_acknowledge(
            actor=clerk_a, case=case, version=case.version, acknowledged_on=None, acknowledged_by="王警官"
        )
    with at("2026-03-05"):
        other = register("petition", actor=other_clerk, phone="13912349999", id_number="", institution=None)
        petition_transfer(
            actor=other_clerk,
            case=other,
            version=other.version,
            authority="police",
            authority_name="招远市公安局",
            reason="x",
        )
    return made


def _listed(response) -> list[str]:
    return [t.authority_name for t in response.context["transfers"]]


def test_the_register_is_filtered_through_its_own_form(transfers, clerk_a, client_for):
    client = client_for(clerk_a)
    html = client.get(REGISTER).content.decode()
    form = page_form(html, data_testid="transfer-filter")
    # Every select starts blank: no filter.
    assert {name: options[0] for name, options in form.selects.items()} == {
        "authority": "",
        "acknowledged": "",
        "told": "",
    }
    everything = client.get(REGISTER, form.fill())
    assert _listed(everything) == [
        "莱州市公安局城港路派出所",
        "莱州市人民法院",
        "莱州市公安局",
    ]  # never the other office's

    police_not_acknowledged = client.get(REGISTER, form.fill(authority="police", acknowledged="no"))
    assert _listed(police_not_acknowledged) == ["莱州市公安局城港路派出所"]
    in_range = client.get(REGISTER, form.fill(start="2026-03-01", end="2026-03-10"))
    assert _listed(in_range) == ["莱州市人民法院", "莱州市公安局"]
    acknowledged = client.get(REGISTER, form.fill(acknowledged="yes"))
    assert _listed(acknowledged) == ["莱州市公安局"] and "王警官" in acknowledged.text
    not_told = client.get(REGISTER, form.fill(told="no"))
    assert len(_listed(not_told)) == 3
    reversed_range = client.get(REGISTER, form.fill(start="2026-03-10", end="2026-03-01"))
    assert "结束日期不能早于开始日期。" in reversed_range.text
    # The menu leads here.
    assert f'href="{REGISTER}"' in client.get(reverse("complaints:contact_list")).text


def test_register_query_count_does_not_grow_with_rows(
    transfers, register, clerk_a, client_for, django_assert_num_queries
):
    client = client_for(clerk_a)
    client.get(REGISTER)  # warm the session and the calendar revision cache
    for n in range(5):
        with at("2026-03-25"):
            case = register("petition", phone=f"1371234{n:04d}", id_number="")
            petition_transfer(
                actor=clerk_a,
                case=case,
                version=case.version,
                authority="market",
                authority_name="莱州市市场监管局",
                reason="x",
            )
    # 5 queries: the session, the user with roles and unit (one query), the page's count, the page's rows with
    # their cases and senders (one join) and the navigation's unread-notification count.
    with django_assert_num_queries(5):
        response = client.get(REGISTER, {"authority": "", "acknowledged": "no"})
    assert len(response.context["transfers"]) == 7


def test_mediators_may_not_read_the_register(mediator, client_for):
    assert client_for(mediator).get(REGISTER).status_code == 403


def test_an_outsider_sees_only_their_offices_transfers(transfers, other_clerk, client_for):
    response = client_for(other_clerk).get(REGISTER)
    assert _listed(response) == ["招远市公安局"]
