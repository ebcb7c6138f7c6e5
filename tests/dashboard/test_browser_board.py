import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.dashboard.conftest import open_item
from tests.factories import make_open_case, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_clicks_a_handlers_overdue_count_and_lands_on_exactly_its_items(live_server, live_base_data, page):
    laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
    clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚")
    make_user(org=laizhou, role=Role.SUPERVISOR, username="lz_supervisor", name="孙海涛")
    overdue_on = timezone.localdate() - dt.timedelta(days=3)
    case = make_open_case(org=laizhou, owner=clerk, received_on=overdue_on - dt.timedelta(days=20), due_on=overdue_on)
    open_item(case, overdue_on, started_on=overdue_on - dt.timedelta(days=20))

    page.goto(live_server.url + "/dashboard/")
    submit_login(page, "lz_supervisor")
    expect(page.get_by_role("heading", name="督办看板")).to_be_visible()

    overdue = page.get_by_test_id(f"handler-laizhou-{clerk.pk}-overdue")
    expect(overdue).to_have_text("1")
    overdue.click()

    expect(page).to_have_url(re.compile(rf"/dashboard/deadlines/\?acting={clerk.pk}&bucket=overdue$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("期限清单")
    expect(page.get_by_test_id("deadline-count")).to_have_text("共 1 项。")
    page.get_by_role("link", name=re.compile(case.number)).click()
    expect(page).to_have_url(re.compile(rf"/complaints/cases/{case.pk}/$"))
