import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from core.models import OrgUnit
from core.roles import Role
from outreach.models import GridCell
from outreach.reference_data import ensure_defaults
from tests.auth import submit_login
from tests.factories import make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_clerk_records_an_event_with_a_photo_and_sees_it_in_the_figures(live_server, live_base_data, page):
    ensure_defaults()  # the transactional flush removed the migration's reference data
    org = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
    make_user(org=org, role=Role.CLERK, username="lz_clerk_a", name="林晓岚")
    town = GridCell.objects.create(org=org, kind=GridCell.Kind.TOWN, name="沙河镇", officer="李春梅")
    GridCell.objects.create(org=org, parent=town, kind=GridCell.Kind.VILLAGE, name="路宿村", officer="王网格员")
    today = timezone.localdate()

    page.goto(live_server.url + "/outreach/")
    submit_login(page, "lz_clerk_a")

    page.locator(".nav-tabs").get_by_role("link", name="统计").click()
    expect(page.locator("#office-sentence")).to_contain_text("开展宣传活动0次，累计覆盖0人")
    expect(page.locator("#coverage")).to_contain_text("未覆盖")

    page.locator(".nav-tabs").get_by_role("link", name="宣传活动").click()
    page.get_by_role("link", name="登记宣传活动").click()
    page.get_by_label("活动名称").fill("3·15金融知识进路宿村")
    page.get_by_label("活动类别").select_option(label="3·15金融消费者权益保护教育宣传周")
    page.get_by_label("集中宣传活动").check()
    page.get_by_label("活动日期").fill(today.isoformat())
    page.locator("#id_grid_cell").select_option(label="沙河镇·路宿村")
    page.get_by_label("场所类型（五进）").select_option(label="进农村")
    page.get_by_label("老年人").check()
    page.get_by_label("防范电信网络诈骗").check()
    page.get_by_label("现场参与人数").fill("350")
    page.get_by_label("线上覆盖人次").fill("20000")
    page.get_by_label("活动照片").set_input_files(
        files=[{"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("alert")).to_contain_text("已登记宣传活动“3·15金融知识进路宿村”")
    thumbnail = page.get_by_role("img", name="现场照片.jpg")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.naturalWidth") == 360  # the thumbnail, served through the checked view

    page.locator(".nav-tabs").get_by_role("link", name="统计").click()
    expect(page.locator("#office-sentence")).to_contain_text("1次集中宣传活动，累计覆盖两万余人")
    expect(page.locator("[data-figure=people]")).to_have_text("20350")
    expect(page.locator("#coverage")).not_to_contain_text("未覆盖")
    expect(page).to_have_url(re.compile(r"/outreach/figures/"))
