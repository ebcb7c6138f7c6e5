"""Intake with the keyboard alone: a walk-in complaint and an answered phone call, counting every key pressed other
than the typed text (Tab, Shift+Tab, arrows, Enter…), then the record checked in the database. Also: the institution
picker found by pinyin initials, the prefilled fields reached on request, fields shown by type and channel, the ID
and phone checked while typing, and the cursor on the first error after a refused submit."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from complaints.models import Case, Contact
from core.models import OrgUnit
from core.roles import Role
from tests.auth import submit_login
from tests.factories import make_institution, make_org, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERVER_NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
# The limits: a walk-in complaint used 19 keys, an answered call 24.
WALK_IN_LIMIT = 12
CALL_LIMIT = 15

INSTITUTIONS = [
    ("中国农业银行莱州支行", "中国农业银行股份有限公司莱州支行"),
    ("中国银行莱州支行", "中国银行股份有限公司莱州支行"),
    ("工商银行莱州支行", "中国工商银行股份有限公司莱州支行"),
    ("建设银行莱州支行", "中国建设银行股份有限公司莱州支行"),
    ("莱州农商银行", "山东莱州农村商业银行股份有限公司"),
    ("人寿保险莱州支公司", "中国人寿保险股份有限公司莱州市支公司"),
    ("邮储银行莱州支行", "中国邮政储蓄银行股份有限公司莱州市支行"),
    ("恒丰银行莱州支行", "恒丰银行股份有限公司莱州支行"),
]


class Keys:
    """The page's keyboard, counting the presses that are not typed text."""

    def __init__(self, page):
        self.page = page
        self.pressed: list[str] = []

    def press(self, key: str) -> None:
        self.pressed.append(key)
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


@pytest.fixture
def office(live_base_data):
    with time_machine.travel(SERVER_NOW, tick=True):
        laizhou = make_org("laizhou", name="莱州金融监管支局", level=OrgUnit.Level.SUB_BUREAU)
        clerk_b = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_b", name="周明远")
        clerk = make_user(org=laizhou, role=Role.CLERK, username="lz_clerk_a", name="林晓岚", backup=clerk_b)
        banks = {short: make_institution(org=laizhou, short_name=short, full_name=full) for short, full in INSTITUTIONS}
        yield {"clerk": clerk, "banks": banks}


def log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    submit_login(page, "lz_clerk_a")
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def open_intake(page, live_server, channel):
    page.goto(f"{live_server.url}/complaints/intake/?channel={channel}")
    page.wait_for_load_state("load")
    # The picker is built by the page's script: wait for it before typing.
    expect(page.get_by_role("combobox", name="涉及机构")).to_be_visible()


def picker_options(page):
    return page.get_by_role("listbox", name="涉及机构").get_by_role("option")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_walk_in_complaint_with_the_keyboard_alone(live_server, office, page):
    log_in(page, live_server)
    open_intake(page, live_server, "visit")
    keys = Keys(page)
    assert focused(page) == "id_name"
    keys.type("王小明")
    keys.press("Tab")
    keys.type("13812345678")
    keys.press("Tab")
    keys.type("370683199001011237")
    keys.press("Tab")  # address
    keys.press("Tab")  # 集体访 (closed)
    keys.press("Tab")  # 涉及机构
    assert focused(page) == "id_institution"
    keys.type("gsyh")
    expect(picker_options(page).first).to_contain_text("工商银行莱州支行")
    keys.press("Enter")
    expect(page.get_by_role("combobox", name="涉及机构")).to_have_value("工商银行莱州支行")
    keys.press("Tab")
    assert focused(page) == "id_summary"
    keys.type("信用卡分期手续费未告知")
    keys.press("Enter")

    expect(page.locator(".alert-success")).to_contain_text("已登记为案件 TS-2026-0001")
    assert len(keys.pressed) <= WALK_IN_LIMIT, keys.pressed
    case = Case.objects.get()
    assert (case.case_type, case.channel, case.status) == ("complaint", "visit", "registered")
    assert (case.name, case.phone, case.id_number) == ("王小明", "13812345678", "370683199001011237")
    assert case.institution == office["banks"]["工商银行莱州支行"]
    assert case.summary == "信用卡分期手续费未告知" and case.owner == office["clerk"]
    contact = Contact.objects.get()
    assert contact.outcome == "opened_case" and contact.case == case and contact.group_size == 1


def test_answered_phone_call_with_the_keyboard_alone(live_server, office, page):
    log_in(page, live_server)
    open_intake(page, live_server, "phone")
    keys = Keys(page)
    keys.type("张女士")
    keys.press("Tab")
    keys.type("0535-2212345")
    keys.press("Tab")  # ID number
    keys.press("Tab")  # address
    keys.press("Tab")  # 涉及机构: no 人数 for a call
    assert focused(page) == "id_institution"
    keys.type("lzns")
    keys.press("Enter")
    keys.press("Tab")
    keys.type("咨询征信异议申请方式")
    keys.press("Tab")
    # For an answered call the answer comes right after the summary.
    assert focused(page) == "id_answer"
    keys.type("告知可向征信中心或贷款银行提出异议申请")
    keys.press("Control+Enter")

    expect(page.locator(".alert-success")).to_contain_text("已登记，当场答复")
    expect(page.get_by_role("heading", name="来电登记")).to_be_visible()
    assert len(keys.pressed) <= CALL_LIMIT, keys.pressed
    contact = Contact.objects.get()
    assert (contact.channel, contact.outcome, contact.topic) == ("phone", "answered", "consultation")
    assert contact.answer == "告知可向征信中心或贷款银行提出异议申请"
    assert (contact.name, contact.phone) == ("张女士", "0535-2212345")
    assert contact.institution == office["banks"]["莱州农商银行"]
    assert contact.case is None and not Case.objects.exists()


def test_picker_finds_by_name_short_name_and_pinyin_sorted_by_pinyin(live_server, office, page):
    log_in(page, live_server)
    open_intake(page, live_server, "visit")
    picker = page.get_by_role("combobox", name="涉及机构")
    picker.focus()
    picker.press("ArrowDown")
    # Sorted by the pinyin of the short name: gong… < heng… < jian… < lai… < ren… < you… < zhong…
    expect(picker_options(page)).to_have_count(len(INSTITUTIONS))
    labels = [
        text.split(" ")[0]
        for text in page.get_by_role("listbox", name="涉及机构").get_by_role("option").all_inner_texts()
    ]
    assert [label[:4] for label in labels] == [
        "工商银行",
        "恒丰银行",
        "建设银行",
        "莱州农商",
        "人寿保险",
        "邮储银行",
        "中国农业",
        "中国银行",
    ]
    for typed, expected in (
        ("工商", "工商银行莱州支行"),
        ("中国工商银行股份", "工商银行莱州支行"),
        ("jsyh", "建设银行莱州支行"),
        ("youchu", "邮储银行莱州支行"),
        ("zgyzcx", "邮储银行莱州支行"),
    ):
        picker.fill("")
        picker.press_sequentially(typed)
        expect(picker_options(page).first).to_contain_text(expected)
    picker.press("ArrowDown")
    picker.press("Escape")
    expect(page.get_by_role("listbox", name="涉及机构")).to_be_hidden()


def test_prefilled_fields_are_out_of_the_tab_path_but_reachable(live_server, office, page):
    log_in(page, live_server)
    open_intake(page, live_server, "visit")
    received = page.locator("#id_received_at")
    assert received.get_attribute("tabindex") == "-1"
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "intake-prefilled-toggle"
    page.keyboard.press("Enter")
    assert focused(page) == "id_received_at"
    assert received.get_attribute("tabindex") is None
    # (Tab inside a date-time input walks its year, month, day… parts, so look at the next field instead.)
    assert page.locator("#id_topic").get_attribute("tabindex") is None
    # The shortcut does the same from anywhere.
    open_intake(page, live_server, "phone")
    page.keyboard.press("Alt+m")
    assert focused(page) == "id_received_at"


def test_fields_follow_the_type_and_channel_and_marks_follow_the_rules(live_server, office, page):
    log_in(page, live_server)
    open_intake(page, live_server, "visit")
    petition_kind, materials, anonymous = (
        page.get_by_label("信访类别"),
        page.get_by_label("举报材料齐全"),
        page.get_by_label("匿名（仅限举报）"),
    )
    for hidden in (petition_kind, materials, anonymous, page.get_by_label("答复内容")):
        expect(hidden).to_be_hidden()
    phone_mark = page.locator("[data-field=phone] .required-mark")
    expect(phone_mark).to_be_visible()  # a forwarded complaint needs a phone
    page.get_by_label("案件类型").select_option("petition")
    expect(petition_kind).to_be_visible()
    expect(page.locator("[data-field=petition_kind] .required-mark")).to_be_visible()
    expect(phone_mark).to_be_hidden()
    page.get_by_label("案件类型").select_option("report")
    expect(materials).to_be_visible()
    anonymous.check()
    expect(page.locator("[data-field=name] .required-mark")).to_be_hidden()
    page.get_by_label("当场答复").check()
    expect(page.get_by_label("答复内容")).to_be_visible()
    expect(page.locator("[data-field=answer] .required-mark")).to_be_visible()
    open_intake(page, live_server, "phone")
    expect(page.get_by_label("人数")).to_be_hidden()
    expect(page.get_by_text("集体访、联名")).to_be_hidden()


def test_id_and_phone_are_checked_while_typing_and_the_refusal_focuses_the_first_error(live_server, office, page):
    log_in(page, live_server)
    open_intake(page, live_server, "visit")
    page.locator("#id_name").fill("王小明")
    id_number = page.locator("#id_id_number")
    id_number.press_sequentially("370683199001011238")
    expect(page.locator("#id_id_number_error")).to_have_text("身份证号码校验位不正确，请核对后重新输入。")
    expect(id_number).to_have_attribute("aria-invalid", "true")
    id_number.fill("")
    id_number.press_sequentially("370683199002301237")
    expect(page.locator("#id_id_number_error")).to_have_text("身份证号码中的出生日期无效。")
    id_number.fill("37068319900101123")
    expect(page.locator("#id_id_number_error")).to_have_text("")  # still typing
    id_number.press("7")
    expect(page.locator("#id_id_number_error")).to_have_text("")
    phone = page.locator("#id_phone")
    phone.press_sequentially("2812345678")
    phone.press("Tab")
    expect(page.locator("#id_phone_error")).to_contain_text("电话号码格式不正确")
    # Submitted anyway (the server decides): refused, nothing saved, the cursor on the first field in error.
    page.locator("#id_summary").fill("信用卡分期手续费未告知")
    page.locator("#intake-submit").click()
    expect(page.locator("#id_phone_error")).to_contain_text("电话号码格式不正确")
    # The message was already there before the click: wait for the refused page itself to focus the field.
    expect(page.locator("#id_phone")).to_be_focused()
    assert not Contact.objects.exists()
    # The same page after a refusal still reads and submits: correct the phone and pick the institution.
    page.locator("#id_phone").fill("13812345678")
    page.get_by_role("combobox", name="涉及机构").press_sequentially("lzns")
    page.keyboard.press("Enter")
    page.locator("#id_summary").press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("已登记为案件")
    assert Case.objects.get().phone == "13812345678"
