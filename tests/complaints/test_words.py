"""Words on the pages: an overdue item reads "超期 N 个工作日" (never a negative count) in the ledger, on the case page
and in my work; a closed case's status is not doubled ("已办结", not "已办结（办结）")."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from complaints.services import (
    case_close,
    complaint_follow_up,
    complaint_forward,
    complaint_institution_reply,
)
from tests.factories import at

pytestmark = pytest.mark.django_db
# The day the frozen clock stands on: the complainant is told of the forwarding the day it happens.
TOLD_ON = dt.date(2026, 3, 10)


@pytest.fixture
def late_complaint(register):
    # Registered Tuesday 2026-03-10: C-FWD (7 working days) falls due on Thursday 03-19.
    with at("2026-03-10"):
        return register("complaint")


def test_overdue_reads_in_working_days_everywhere(client_for, clerk_a, late_complaint):
    client = client_for(clerk_a)
    # Tuesday 03-24: 03-20, 03-23 and 03-24 are the three working days lost.
    with at("2026-03-24"):
        ledger = client.get(reverse("complaints:index")).content.decode()
        case_page = client.get(reverse("complaints:case_detail", args=[late_complaint.pk])).content.decode()
        my_work = client.get(reverse("home")).content.decode()
    for page in (ledger, case_page, my_work):
        assert "超期 3 个工作日" in page
        assert not re.search(r"-\d+\s*(个工作日|天)", page)
        assert "已超期 3 天" not in page and "超期3天" not in page


def test_overdue_over_a_weekend_says_less_than_a_working_day(client_for, clerk_a, register):
    with at("2026-03-04"):  # a Wednesday: C-FWD (7 working days) due Friday 03-13
        case = register("complaint")
    with at("2026-03-14"):  # Saturday: one day late, no working day lost yet
        page = client_for(clerk_a).get(reverse("complaints:case_detail", args=[case.pk])).content.decode()
    assert "超期未满 1 个工作日" in page


def test_closed_status_is_not_doubled(client_for, clerk_a, institution, register):
    with at("2026-03-10"):
        case = register("complaint")
        complaint_forward(
            told_via="phone", told_on=TOLD_ON, actor=clerk_a, case=case, version=case.version, requirement=""
        )
        case.refresh_from_db()
        complaint_institution_reply(actor=clerk_a, case=case, version=case.version, result="已退费", replied_on=None)
        case.refresh_from_db()
        complaint_follow_up(actor=clerk_a, case=case, version=case.version, satisfaction="satisfied", note="", on=None)
        case.refresh_from_db()
        case_close(actor=clerk_a, case=case, version=case.version, result="已处理")
        case.refresh_from_db()
        assert case.closure == "resolved"
        page = client_for(clerk_a).get(reverse("complaints:case_detail", args=[case.pk])).content.decode()
    assert "已办结（办结）" not in page
    assert 'id="case-status">已办结</span>' in page
