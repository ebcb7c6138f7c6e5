"""Personal numbers typed into free text are masked wherever the masked form is shown; full text only after a
logged reveal; search terms never in URLs, export records or the audit log (docs/domain.md, "个人信息")."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from complaints.models import LedgerExport
from complaints.services import complaint_forward
from core.models import AuditEntry, BackgroundJob
from core.personal import mask_free_text, mask_search_terms, resident_id_check_digit
from tests.helpers import PrintedPdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
# The day the frozen clock stands on: the complainant is told of the forwarding the day it happens.
TOLD_ON = dt.date(2026, 3, 10)

OTHER_ID = "370683198503150012"[:17]
OTHER_ID += resident_id_check_digit(OTHER_ID)
CARD = "6222021234567890128"  # passes the Luhn check
WORDS = f"来电人身份证{OTHER_ID}，手机139 8765 4321，家里电话0535-2212345，卡号{CARD}，被扣费2000元"
FULL = (OTHER_ID, "13987654321", "139 8765 4321", "2212345", CARD)
MASKED = ("370683********", "139****4321", "0535-****2345", "***************0128")


def assert_masked(text: str) -> None:
    for value in FULL:
        assert value not in text, value
    for value in MASKED:
        assert value in text, value


# --- The pattern ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (f"身份证{OTHER_ID}。", "身份证370683********" + OTHER_ID[-4:] + "。"),
        ("电话13812345678", "电话138****5678"),
        ("电话 +86-138-1234-5678", "电话 138****5678"),
        ("１３８１２３４５６７８", "138****5678"),
        ("固话0535 2212345", "固话0535-****2345"),
        ("卡号 6222 0212 3456 7890 128", "卡号 ***************0128"),
        # Not personal numbers: a wrong check digit, a card number failing Luhn, amounts, dates, a policy number.
        ("370683199001011230", "370683199001011230"),
        ("6222021234567890127", "6222021234567890127"),
        ("金额12345678元，2026-03-10，保单1234567890123456", "金额12345678元，2026-03-10，保单1234567890123456"),
    ],
)
def test_free_text_masks_ids_phones_landlines_and_cards_by_pattern(typed, shown):
    assert mask_free_text(typed) == shown


def test_search_terms_are_masked_for_logs_but_case_numbers_stay():
    assert mask_search_terms("王小明 13812345678 TS-2026-0001") == "王** 138****5678 TS-2026-0001"


# --- Lists and exports --------------------------------------------------------------------------------


@pytest.fixture
def worded(register):
    return register("complaint", summary=f"扣费争议 {WORDS}"[:200], content=WORDS)


def test_ledger_page_masks_numbers_in_the_summary(client_for, clerk_a, worded):
    html = client_for(clerk_a).get(reverse("complaints:index")).content.decode()
    assert worded.number in html
    assert OTHER_ID not in html and "139 8765 4321" not in html
    assert "370683********" in html


def test_excel_and_csv_exports_mask_numbers_in_the_summary(client_for, clerk_a, worded):
    client = client_for(clerk_a)
    xlsx = client.post(reverse("complaints:ledger_export"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert_masked(" ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell))
    text = client.post(reverse("complaints:ledger_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert_masked(" ".join(" ".join(row) for row in csv.reader(io.StringIO(text))))


def test_contact_list_masks_numbers_in_the_summary(client_for, clerk_a, worded):
    html = client_for(clerk_a).get(reverse("complaints:contact_list")).content.decode()
    assert OTHER_ID not in html and "370683********" in html


def test_case_page_masks_free_text_until_a_logged_reveal(client_for, clerk_a, reviewer, worded):
    url = reverse("complaints:case_detail", args=[worded.pk])
    assert_masked(client_for(reviewer).get(url).content.decode())
    client = client_for(clerk_a)
    assert_masked(client.get(url).content.decode())
    revealed = client.post(reverse("complaints:case_reveal", args=[worded.pk])).content.decode()
    assert OTHER_ID in revealed and CARD in revealed
    assert AuditEntry.objects.filter(action="complaints.case.personal_data_revealed", object_id=worded.pk).exists()


def test_repeat_lookup_json_masks_the_summary(client_for, clerk_a, worded):
    from .conftest import VALID_ID

    response = client_for(clerk_a).post(reverse("complaints:repeat_candidates"), {"id_number": VALID_ID})
    [candidate] = response.json()["results"]
    assert candidate["number"] == worded.number and candidate["name"] == "王**"
    assert OTHER_ID not in candidate["summary"] and "370683********" in candidate["summary"]


def test_repeat_lookup_shows_nothing_identifying_of_a_report_to_a_clerk_not_on_it(
    client_for, clerk_a, clerk_b, supervisor, register, institution
):
    from core.roles import Role
    from tests.factories import make_user

    from .conftest import VALID_ID

    report = register("report", summary=f"举报 {institution.short_name} 违规收费")
    stranger = make_user(org=clerk_a.org, role=Role.CLERK, username="lz_clerk_c")
    lookup = reverse("complaints:repeat_candidates")
    [seen] = client_for(stranger).post(lookup, {"id_number": VALID_ID}).json()["results"]
    assert seen["number"] == report.number
    assert seen["name"] == "" and seen["institution"] == "" and "违规收费" not in seen["summary"]
    # The report's own A岗 still sees what it is about.
    [own] = client_for(clerk_a).post(lookup, {"id_number": VALID_ID}).json()["results"]
    assert "违规收费" in own["summary"] and own["institution"]


def test_forwarding_slip_masks_numbers_in_the_complaint_words(client_for, clerk_a, worded, tmp_path):
    complaint_forward(
        told_via="phone",
        told_on=TOLD_ON,
        actor=clerk_a,
        case=worded,
        version=worded.version,
        requirement=f"请联系 {OTHER_ID}",
    )
    worded.refresh_from_db()
    document = worded.documents.get(kind="forwarding_slip")
    response = client_for(clerk_a).get(reverse("complaints:document_pdf", args=[worded.pk, document.pk]))
    pdf = PrintedPdf(response.content, tmp_path)
    assert OTHER_ID not in pdf.text and "13987654321" not in pdf.text and CARD not in pdf.text
    assert "370683********" in pdf.text and "139****4321" in pdf.text
    # The slip carries masked data only: printing it is no reveal.
    assert not AuditEntry.objects.filter(action="complaints.case.personal_data_revealed").exists()


def test_printing_a_notice_to_the_petitioner_is_logged_as_a_reveal(client_for, clerk_a, register):
    from complaints.services import petition_accept

    case = register("petition")
    petition_accept(actor=clerk_a, case=case, version=case.version, route="转相关部门办理")
    document = case.documents.get(kind="acceptance")
    response = client_for(clerk_a).get(reverse("complaints:document_pdf", args=[case.pk, document.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="complaints.case.personal_data_revealed")
    assert entry.actor == clerk_a and entry.object_id == case.pk and entry.data["document"] == "acceptance"


# --- Search terms: never in URLs, export records or the audit log --------------------------------------


def test_export_buttons_post_the_search_terms_and_nothing_keeps_them_in_clear(client_for, clerk_a, worded):
    client = client_for(clerk_a)
    page = client.get(reverse("complaints:index"), {"q": "王小明"}).content.decode()
    export_url = reverse("complaints:ledger_export")
    assert f'action="{export_url}"' in page and 'method="post"' in page
    assert f"{export_url}?" not in page
    response = client.post(export_url, {"q": "王小明", "format": "xlsx"})
    assert response.status_code == 200
    export = LedgerExport.objects.get()
    assert "王小明" not in str(export.filters)
    entry = AuditEntry.objects.get(action="complaints.ledger.exported")
    assert "王小明" not in str(entry.data) and entry.data["filters"]["q"] == "王**"


def test_an_export_url_with_search_terms_is_refused(client_for, clerk_a, worded):
    response = client_for(clerk_a).get(reverse("complaints:ledger_export"), {"q": "王小明", "format": "xlsx"})
    assert response.status_code == 302 and "王" not in response["Location"]
    assert not LedgerExport.objects.exists()


def test_a_background_export_still_searches_on_the_sealed_terms(
    client_for, clerk_a, worded, settings, private_files, django_capture_on_commit_callbacks
):
    settings.LEDGER_EXPORT_ASYNC_ROWS = 0
    client = client_for(clerk_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:ledger_export"), {"q": "扣费争议", "format": "xlsx"})
    export = LedgerExport.objects.get()
    assert response.status_code == 302 and "扣费" not in response["Location"]
    export.refresh_from_db()
    assert export.job.state == BackgroundJob.State.DONE and export.row_count == 1
    assert "扣费争议" not in str(export.filters)
    status_page = client.get(reverse("complaints:export_status", args=[export.pk])).content.decode()
    assert "扣费争议" not in status_page and "扣费**" in status_page


def test_notes_reasons_and_results_on_the_case_page_are_masked_until_a_reveal(client_for, clerk_a, register):
    """Not only the summary: an extension's reason (and the step notes, results and institution replies shown
    the same way) carry numbers typed by hand."""
    from complaints.services import extension_request, petition_accept

    case = register("petition", petition_kind="appeal")
    case = petition_accept(actor=clerk_a, case=case, version=case.version, route="由消保科调查")
    extension_request(actor=clerk_a, case=case, version=case.version, days=30, reason=WORDS)
    client = client_for(clerk_a)
    url = reverse("complaints:case_detail", args=[case.pk])
    assert_masked(client.get(url).content.decode())
    revealed = client.post(reverse("complaints:case_reveal", args=[case.pk])).content.decode()
    assert OTHER_ID in revealed and CARD in revealed
