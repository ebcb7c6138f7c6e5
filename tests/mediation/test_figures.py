"""Figures on built data: by source and outcome, success rate, median days, amounts, partners, institutions."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exporters import HEADER_ROW
from mediation.models import MediationCase, Outcome, Source, Status
from mediation.selectors import institution_cooperation, mediation_figures
from tests.factories import make_institution

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _case(n, *, org, clerk, institution, source=Source.DIRECT, mediator=None, received_on, outcome="", days=0, **kw):
    concluded = outcome != ""
    case = MediationCase(
        org=org,
        number=f"TJ-T-{n:04d}",
        source=source,
        received_on=received_on,
        applicant_name="王小明",
        institution=institution,
        summary="纠纷",
        mediator=mediator,
        status=Status.CONCLUDED if concluded else Status.MEDIATING,
        outcome=outcome,
        concluded_on=received_on + dt.timedelta(days=days) if concluded else None,
        court_case_number="（2025）鲁0683民初1号" if source == Source.COURT_AFTER_FILING else "",
        created_by=clerk,
        **kw,
    )
    case.save()
    return case


@pytest.fixture
def built(orgs, clerk_a, partners, court_mediator, association_mediator, paper_mediator):
    laizhou = orgs["laizhou"]
    bank_a = make_institution(org=laizhou, short_name="甲银行")
    insurer_b = make_institution(org=laizhou, short_name="乙保险", type_code="INS-PROP")
    common = {"org": laizhou, "clerk": clerk_a}
    _case(
        1,
        **common,
        institution=bank_a,
        mediator=association_mediator,
        received_on=dt.date(2025, 3, 1),
        outcome=Outcome.AGREEMENT,
        days=10,
        amount_claimed=Decimal("1000"),
        amount_agreed=Decimal("800"),
        amount_recovered=Decimal("800"),
    )
    _case(
        2,
        **common,
        institution=bank_a,
        mediator=association_mediator,
        received_on=dt.date(2025, 3, 5),
        outcome=Outcome.FAILURE,
        days=12,
        amount_claimed=Decimal("500"),
    )
    _case(
        3,
        **common,
        institution=insurer_b,
        source=Source.COURT_BEFORE_FILING,
        referring_partner=partners["court"],
        mediator=court_mediator,
        received_on=dt.date(2025, 4, 1),
        outcome=Outcome.AGREEMENT,
        days=20,
        amount_claimed=Decimal("3000"),
        amount_agreed=Decimal("2000"),
        amount_recovered=Decimal("1500"),
    )
    _case(
        4,
        **common,
        institution=insurer_b,
        source=Source.COURT_AFTER_FILING,
        referring_partner=partners["court"],
        mediator=paper_mediator,
        received_on=dt.date(2025, 6, 1),
        outcome=Outcome.RETURNED_TO_COURT,
        days=30,
        amount_claimed=Decimal("2000"),
    )
    _case(
        5,
        **common,
        institution=insurer_b,
        received_on=dt.date(2025, 7, 1),
        outcome=Outcome.WITHDRAWAL,
        days=3,
        amount_claimed=Decimal("100"),
    )
    _case(
        6,
        **common,
        institution=bank_a,
        mediator=association_mediator,
        received_on=dt.date(2025, 12, 31),
        amount_claimed=Decimal("700"),
    )
    # Outside the period.
    _case(
        7,
        **common,
        institution=bank_a,
        received_on=dt.date(2024, 12, 31),
        outcome=Outcome.AGREEMENT,
        days=1,
        amount_claimed=Decimal("9999"),
    )
    return {"bank_a": bank_a, "insurer_b": insurer_b}


def test_figures_by_source_outcome_partner_and_institution(built, django_assert_num_queries):
    # By source and outcome, by partner, by institution, and the agreement durations: four queries.
    with django_assert_num_queries(4):
        figures = mediation_figures(MediationCase.objects.all(), START, END)
    totals = figures.totals
    assert (totals.total, totals.concluded, totals.agreements, totals.open) == (6, 5, 2, 1)
    assert totals.success_rate == 40.0
    assert figures.median_days_to_agreement == 15
    assert (totals.claimed, totals.agreed, totals.recovered) == (Decimal("7300"), Decimal("2800"), Decimal("2300"))
    by_source = {b.key: b for b in figures.by_source}
    assert by_source[Source.DIRECT].total == 4 and by_source[Source.DIRECT].success_rate == round(100 / 3, 1)
    assert by_source[Source.COURT_BEFORE_FILING].agreements == 1
    assert by_source[Source.COURT_AFTER_FILING].outcome_count(Outcome.RETURNED_TO_COURT) == 1
    assert by_source[Source.REFERRED].total == 0 and by_source[Source.REFERRED].success_rate is None
    by_partner = {b.label: b for b in figures.by_partner}
    assert by_partner["烟台市银行业协会"].total == 3 and by_partner["烟台市银行业协会"].success_rate == 50.0
    assert by_partner["莱州市人民法院"].success_rate == 100.0
    assert by_partner["烟台市保险行业协会"].success_rate == 0.0
    assert by_partner["未指派调解员"].outcome_count(Outcome.WITHDRAWAL) == 1
    by_institution = {b.label: b for b in figures.by_institution}
    assert by_institution["甲银行"].total == 3 and by_institution["甲银行"].recovered == Decimal("800")
    assert by_institution["乙保险"].claimed == Decimal("5100")


def test_institution_cooperation_selector_for_other_apps(built, orgs, clerk_a, django_assert_num_queries):
    zhaoyuan_bank = make_institution(org=orgs["zhaoyuan"], short_name="招远银行")
    _case(
        99,
        org=orgs["zhaoyuan"],
        clerk=clerk_a,
        institution=zhaoyuan_bank,
        received_on=dt.date(2025, 5, 1),
        outcome=Outcome.AGREEMENT,
        days=5,
    )
    with django_assert_num_queries(1):
        cooperation = institution_cooperation(orgs["laizhou"], START, END)
    assert set(cooperation) == {built["bank_a"].pk, built["insurer_b"].pk}
    bank = cooperation[built["bank_a"].pk]
    assert (bank["cases"], bank["agreements"], bank["failures"], bank["open"]) == (3, 1, 1, 1)
    assert bank["success_rate"] == 50.0 and bank["amount_claimed"] == Decimal("2200")
    insurer = cooperation[built["insurer_b"].pk]
    assert (insurer["failures"], insurer["withdrawals"], insurer["amount_recovered"]) == (1, 1, Decimal("1500"))
    # The branch sees both of its sub-bureaus.
    assert zhaoyuan_bank.pk in institution_cooperation(orgs["yantai"], START, END)


def test_figures_page_shows_chart_and_table(built, client_for, clerk_a, django_assert_num_queries):
    client = client_for(clerk_a)
    # session, the user with roles and org (one query), the navigation's notification badge, then the four
    # figures queries.
    with django_assert_num_queries(7):
        response = client.get(reverse("mediation:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and "40.0%" in page and "15 天" in page
    assert "烟台市银行业协会" in page and "甲银行" in page


def test_figures_export_reads_back_in_excel(built, client_for, clerk_a, django_assert_num_queries):
    client = client_for(clerk_a)
    # session, the user with roles and org (one query), four figures queries, the case list, the audit entry (with its
    # content type cached; chained: savepoint, chain head locked and read, insert, head's new hash, release) — the
    # export writes no personal data in clear.
    with django_assert_num_queries(13):
        response = client.get(reverse("mediation:figures_export"), {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按来源", "按合作单位", "按机构", "案件清单"]
    by_source = list(workbook["按来源"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert by_source[0][:4] == ("来源", "案件数", "已结案", "达成协议")
    assert by_source[-1][0] == "合计" and by_source[-1][1] == 6 and by_source[-1][3] == 2 and by_source[-1][9] == 40.0
    cases = list(workbook["案件清单"].iter_rows(min_row=HEADER_ROW, values_only=True))
    assert len(cases) == 1 + 6
    assert {row[3] for row in cases[1:]} == {"王**"}
    institutions = {row[0]: row for row in workbook["按机构"].iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    assert institutions["乙保险"][10] == 5100


def test_figures_export_is_for_office_users_only(built, client_for, mediator, other_clerk):
    assert client_for(mediator).get(reverse("mediation:figures_export")).status_code == 404
    response = client_for(other_clerk).get(
        reverse("mediation:figures_export"), {"start": "2025-01-01", "end": "2025-12-31"}
    )
    # Another sub-bureau gets a workbook of its own (empty) cases, never Laizhou's.
    cases = list(
        load_workbook(io.BytesIO(response.content))["案件清单"].iter_rows(min_row=HEADER_ROW, values_only=True)
    )
    assert len(cases) == 1


def test_figures_workbook_carries_no_live_formula(frozen, orgs, client_for, clerk_a, make_mediation):
    """An applicant's name or an institution typed as a formula lands as plain text (the masked name too)."""
    from tests.helpers import assert_payloads_are_text

    hostile = make_institution(org=orgs["laizhou"], short_name='=HYPERLINK("http://evil.example/x","点此")')
    make_mediation(institution=hostile, applicant_name="=王小明")
    make_mediation(institution=hostile, applicant_name="@SUM(A1)")
    response = client_for(clerk_a).get(
        reverse("mediation:figures_export"), {"start": "2026-01-01", "end": "2026-12-31"}
    )
    assert_payloads_are_text(response.content, ['=HYPERLINK("http://evil.example/x","点此")', "=王**", "@S******"])
    sheet = load_workbook(io.BytesIO(response.content))["案件清单"]
    assert sheet["A1"].value == "“莱和州安”金融纠纷调解工作站调解统计——案件清单"
    assert "统计期间：2026-01-01 至 2026-12-31" in sheet["A2"].value
    assert sheet["C4"].number_format == "yyyy-mm-dd" and sheet["K4"].number_format == "#,##0.00"
    assert sheet["K4"].data_type == "n"
