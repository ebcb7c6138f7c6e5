"""The dashboard's case figures (closure rates, intake by channel, institution ranking) read the per-month summary
complaints.CaseMonthCount (docs/architecture.md「看板汇总表」): every case write moves the case's counts in the same
transaction, the figures equal the direct aggregates over the cases on any day (year end, 29 February included),
and `rebuild_case_counts` repairs a table that went wrong. (Every test with offices also checks both summaries
at its end: tests/conftest.py `_summaries_follow_their_rows`.)"""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from complaints.models import Case, CaseMonthCount
from complaints.services.case_counts import case_count_differences, case_counts_add, case_save
from laizhou_xiaobao.dashboard import selectors
from tests.factories import SHANGHAI, make_institution, make_open_case

pytestmark = pytest.mark.django_db


def figures(org_ids, today):
    """The three figures from the summary, after checking each against the direct aggregate over the cases."""
    assert case_count_differences() == []
    pairs = {
        "rates": (selectors.closure_rates, selectors.closure_rates_direct),
        "intake": (selectors.intake_by_month, selectors.intake_by_month_direct),
        "top": (selectors.top_institutions, selectors.top_institutions_direct),
    }
    result = {}
    for name, (summary, direct) in pairs.items():
        result[name] = summary(org_ids, today)
        assert result[name] == direct(org_ids, today), name
    return result


def closed_at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def world(orgs, clerk_a, other_clerk):
    """Cases of two offices around a year end and a leap day, two institutions, every channel used."""
    laizhou, zhaoyuan = orgs["laizhou"], orgs["zhaoyuan"]
    bank = make_institution(org=laizhou, short_name="莱州农商银行")
    insurer = make_institution(org=laizhou, short_name="莱州人寿支公司")
    specs = [
        # received, channel, institution, closed (local day), on time
        ("2027-10-08", "visit", bank, "2027-11-02", True),
        ("2027-11-30", "phone", bank, "2027-12-31", False),
        ("2027-12-31", "12378", insurer, None, None),
        ("2028-01-01", "letter", insurer, "2028-01-04", True),
        ("2028-02-29", "online", bank, "2028-02-29", True),
        ("2027-12-15", "visit", None, "2028-01-02", False),
    ]
    for received, channel, institution, closed, on_time in specs:
        extra = {"closed_at": closed_at(closed), "closed_on_time": on_time} if closed else {}
        make_open_case(
            org=laizhou,
            owner=clerk_a,
            received_on=dt.date.fromisoformat(received),
            channel=channel,
            institution=institution,
            **extra,
        )
    make_open_case(org=zhaoyuan, owner=other_clerk, received_on=dt.date(2027, 12, 31), channel="phone")
    return {"laizhou": laizhou, "zhaoyuan": zhaoyuan, "bank": bank, "insurer": insurer}


# Days on or after every record of the world (no case is received or closed in the future).
@pytest.mark.parametrize("today", ["2028-01-04", "2028-02-29", "2028-03-01", "2028-04-01", "2028-12-31", "2029-01-01"])
def test_the_figures_equal_the_cases_on_awkward_days(world, today):
    office = world["laizhou"]
    result = figures([office.pk, world["zhaoyuan"].pk], dt.date.fromisoformat(today))
    assert set(result["rates"]) == {office.pk, world["zhaoyuan"].pk}


def test_year_end_and_leap_day_figures(world):
    office = world["laizhou"].pk
    # The year restarts on 1 January: 2027-12-31's closure no longer counts, 01-02 (late) and 01-04 (on time) do.
    new_year = figures([office], dt.date(2028, 1, 4))
    assert (new_year["rates"][office]["year_closed"], new_year["rates"][office]["year_rate"]) == (2, 50.0)
    assert new_year["intake"][office]["months"][0] == "2027-02"
    assert new_year["intake"][office]["months"][-1] == "2028-01"
    next_year = figures([office], dt.date(2029, 1, 1))["rates"][office]
    assert (next_year["year_closed"], next_year["year_rate"]) == (0, None)
    leap = figures([office], dt.date(2028, 2, 29))
    rates = leap["rates"][office]
    # 01-02 late, 01-04 on time, 02-29 on time; this quarter is the year so far.
    assert (rates["year_closed"], rates["year_on_time"], rates["quarter_closed"]) == (3, 2, 3)
    assert rates["year_rate"] == 66.7
    assert leap["intake"][office]["series"]["网络"][-1] == 1
    top = {row["name"]: (row["this_quarter"], row["last_quarter"]) for row in leap["top"][office]}
    assert top == {"莱州农商银行": (1, 2), "莱州人寿支公司": (1, 1)}


def test_every_change_of_a_case_moves_its_counts(world):
    office = world["laizhou"]
    case = Case.objects.get(received_on=dt.date(2027, 12, 31), org=office)
    # Closed on time in March, through the one writer of cases.
    case.status, case.closed_at, case.closed_on_time = "closed", closed_at("2028-03-03"), True
    case_save(case, update_fields=["status", "closed_at", "closed_on_time"])
    rates = figures([office.pk], dt.date(2028, 3, 31))["rates"][office.pk]
    assert (rates["quarter_closed"], rates["quarter_on_time"]) == (4, 3)
    # Reclassified: another channel and institution moves its received counts (same month).
    case.channel, case.institution = "phone", world["bank"]
    case_save(case, update_fields=["channel", "institution"])
    assert CaseMonthCount.objects.get(org=office, measure="received", month=dt.date(2027, 12, 1), channel="phone")
    figures([office.pk], dt.date(2028, 3, 31))
    # A save from a stale copy moves the counts it is stored under, not what the copy remembers.
    stale = Case.objects.get(pk=case.pk)
    stale.channel = "visit"
    case.summary = "只改了摘要"
    case_save(case, update_fields=["summary"])
    case_save(stale, update_fields=["channel"])
    figures([office.pk], dt.date(2028, 3, 31))
    # Without update_fields (every column) and with no counted column at all.
    case.refresh_from_db()
    case.received_on = dt.date(2028, 1, 5)
    case_save(case)
    figures([office.pk], dt.date(2028, 3, 31))


def test_a_change_rolled_back_leaves_the_summary_as_it_was(world):
    office = world["laizhou"]
    before = list(CaseMonthCount.objects.order_by("pk").values_list("pk", "count"))
    case = Case.objects.get(received_on=dt.date(2027, 12, 31), org=office)
    with pytest.raises(RuntimeError), transaction.atomic():
        case.channel = "letter"
        case_save(case, update_fields=["channel"])
        raise RuntimeError
    assert list(CaseMonthCount.objects.order_by("pk").values_list("pk", "count")) == before


def test_cases_inserted_in_bulk_are_counted_by_the_importer_helper(world, clerk_a):
    office = world["laizhou"]
    cases = [
        Case(
            org=office,
            number=f"DR-2028-{n:04d}",
            case_type="complaint",
            channel="letter",
            received_at=closed_at("2028-05-06"),
            received_on=dt.date(2028, 5, 6),
            status="closed",
            closed_at=closed_at("2028-05-20"),
            closed_on_time=n % 2 == 0,
            is_historical=True,
            institution=world["insurer"],
            owner=clerk_a,
            created_by=clerk_a,
        )
        for n in range(4)
    ]
    Case.objects.bulk_create(cases)
    assert len(case_count_differences()) == 4  # received, institution, closed on time, closed late
    case_counts_add(cases)
    rates = figures([office.pk], dt.date(2028, 6, 30))["rates"][office.pk]
    assert (rates["quarter_closed"], rates["quarter_rate"]) == (4, 50.0)


def test_rebuild_repairs_a_corrupted_summary_and_check_fails_until_then(world, capsys):
    office = world["laizhou"]
    right = figures([office.pk], dt.date(2028, 2, 29))
    # Corrupted on purpose, as a hand edit or a bulk insert past the services would leave it.
    row = CaseMonthCount.objects.filter(org=office, measure="closed").order_by("month").first()
    row.count = 7
    row.save(update_fields=["count"])
    CaseMonthCount.objects.filter(org=office, measure="institution").delete()
    differences = case_count_differences()
    assert len(differences) == 6  # one count wrong, five rows of two institutions gone
    assert selectors.top_institutions([office.pk], dt.date(2028, 2, 29)) != right["top"]

    with pytest.raises(CommandError, match="案件按月汇总表有 6 处与案件不一致"):
        call_command("rebuild_case_counts", "--check")
    assert len(case_count_differences()) == 6  # --check changes nothing
    capsys.readouterr()

    call_command("rebuild_case_counts")
    out = capsys.readouterr().out
    assert "受理（按涉及机构） 机构" in out and "汇总 0，实有 1" in out and "修正了 6 处" in out
    assert figures([office.pk], dt.date(2028, 2, 29)) == right
    call_command("rebuild_case_counts", "--check")
    assert "案件按月汇总表与案件一致" in capsys.readouterr().out
