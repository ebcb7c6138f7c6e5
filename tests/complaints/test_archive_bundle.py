"""The case-file bundle (卷宗) opened back: the PDF's text and pages, the ZIP's manifest re-computed
(docs/domain.md, "归档")."""

import hashlib
import io
import re
import subprocess
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from complaints.models import CaseArchive
from complaints.services.archive import case_file, case_supplement_add
from complaints.services.archive_bundle import BUNDLE_NAME, MANIFEST_NAME
from core.models import AuditEntry, BackgroundJob
from tests.complaints.archive_world import closed_petition
from tests.factories import VALID_ID, VALID_PHONE, at

pytestmark = pytest.mark.django_db


def download(client, case, part) -> bytes:
    response = client.get(reverse("complaints:bundle_download", args=[case.pk, part]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(tmp_path, content: bytes, *pages: int) -> str:
    path = tmp_path / "bundle.pdf"
    path.write_bytes(content)
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    text = subprocess.run(["pdftotext", *span, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


def pdfinfo_pages(tmp_path, content: bytes) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.fixture
def bundled(register, clerk_a, private_files, django_capture_on_commit_callbacks):
    """A complete petition filed on 2026-05-06; the bundle task runs at the commit, as without a broker."""
    case = closed_petition(register, clerk_a)
    with at("2026-05-06"), django_capture_on_commit_callbacks(execute=True):
        case_file(actor=clerk_a, case=case, version=case.version)
    return CaseArchive.objects.get(case=case)


def test_bundle_pdf_has_cover_contents_documents_and_attachments_in_order(bundled, client_for, clerk_a, tmp_path):
    case = bundled.case
    content = download(client_for(clerk_a), case, "pdf")
    reader = PdfReader(io.BytesIO(content))
    # Cover and contents (2), the step record (1), the three documents (1 page each or more), the PDF attachment's
    # two pages and the photo's one; the text file is listed, not embedded.
    documents = list(case.documents.order_by("issued_on", "id"))
    assert [d.kind for d in documents] == ["acceptance", "petition_reply"]
    assert len(reader.pages) == bundled.bundle_pages == pdfinfo_pages(tmp_path, content)
    assert bundled.bundle_pages >= 2 + 1 + len(documents) + 2 + 1
    assert hashlib.sha256(content).hexdigest() == bundled.bundle_pdf_sha256

    cover = pdf_text(tmp_path, content, 1)
    assert "信访投诉案件卷宗" in cover and bundled.archive_number in cover and case.number in cover
    assert "10年（至2036-12-31）" in cover and "2026年5月6日" in cover
    # Parties masked on the cover, as core/personal.py masks them.
    assert "王**" in cover and "138****5678" in cover and "王小明" not in cover
    assert VALID_ID not in cover and VALID_PHONE not in cover
    contents = pdf_text(tmp_path, content, 2)
    assert "卷内目录" in contents
    order = ["办理过程记录", "受理告知书", "信访处理意见书", "核查笔录.pdf", "现场照片.png", "情况说明.txt"]
    positions = [contents.find(item) for item in order]
    assert -1 not in positions and positions == sorted(positions), positions
    text_attachment = case.attachments.get(original_name="情况说明.txt")
    assert "未并入PDF" in contents and text_attachment.sha256 in contents
    whole = pdf_text(tmp_path, content)
    assert "信访处理意见书" in whole and "《商业银行信用卡业务监督管理办法》" in whole
    assert AuditEntry.objects.filter(action="complaints.case.bundle_downloaded", object_id=case.pk).exists()
    assert AuditEntry.objects.filter(action="complaints.case.personal_data_revealed", object_id=case.pk).exists()


def test_bundle_zip_holds_the_originals_with_a_manifest_that_recomputes(bundled, client_for, clerk_a):
    case = bundled.case
    content = download(client_for(clerk_a), case, "zip")
    assert hashlib.sha256(content).hexdigest() == bundled.bundle_zip_sha256
    with zipfile.ZipFile(io.BytesIO(content)) as archive_zip:
        names = archive_zip.namelist()
        manifest = archive_zip.read(MANIFEST_NAME).decode()
        listed = {}
        for line in manifest.splitlines():
            digest, name = line.split("  ", 1)
            listed[name] = digest
        assert set(listed) == set(names) - {MANIFEST_NAME}
        for name, digest in listed.items():
            assert hashlib.sha256(archive_zip.read(name)).hexdigest() == digest, name
        assert BUNDLE_NAME in names
        # Unpacked, every file is readable; photos and PDFs are stored as they are, text is deflated.
        assert all(info.external_attr >> 16 & 0o400 for info in archive_zip.infolist())
        kinds = {info.filename.rsplit(".", 1)[-1]: info.compress_type for info in archive_zip.infolist()}
        assert kinds["png"] == kinds["pdf"] == zipfile.ZIP_STORED and kinds["txt"] == zipfile.ZIP_DEFLATED
        originals = {name.split("-", 1)[1]: name for name in names if name.startswith("附件/")}
    assert set(originals) == {"核查笔录.pdf", "现场照片.png", "情况说明.txt"}
    # The originals are the uploaded files, byte for byte (their SHA-256 taken at upload).
    for attachment in case.attachments.all():
        assert listed[originals[attachment.original_name]] == attachment.sha256
    assert len([name for name in names if name.startswith("文书/")]) == 2


def test_bundle_is_rebuilt_on_demand_with_progress_and_supplements(
    bundled, client_for, clerk_a, other_clerk, reviewer, tmp_path, django_capture_on_commit_callbacks
):
    case = bundled.case
    client = client_for(clerk_a)
    case_supplement_add(actor=clerk_a, case=case, kind="review_result", text="复查维持原处理意见")
    first_pdf = bundled.bundle_pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:bundle_request", args=[case.pk]), follow=True)
    assert any("后台生成" in str(m) for m in response.context["messages"])
    bundled.refresh_from_db()
    assert bundled.bundle_pdf.name != first_pdf
    assert not bundled.bundle_pdf.storage.exists(first_pdf)  # the older file is replaced, not kept beside
    job = BackgroundJob.objects.filter(target=f"complaints.casearchive:{bundled.pk}").order_by("-id").first()
    assert job.progress_total == 3 + 2 + 3 and job.progress_done == job.progress_total
    fragment = client.get(reverse("complaints:bundle_status", args=[case.pk])).content.decode()
    assert 'data-testid="bundle-pdf"' in fragment and 'data-testid="bundle-zip"' in fragment
    assert "复查维持原处理意见" in pdf_text(tmp_path, download(client, case, "pdf"))
    assert client_for(other_clerk).get(reverse("complaints:bundle_download", args=[case.pk, "pdf"])).status_code == 404
    # The branch reviewer reads the case but, as with the documents themselves, may not take the full names away.
    from django.test import Client

    from tests.auth import sign_in

    branch = sign_in(Client(), reviewer)
    assert (
        'data-testid="bundle-pdf"'
        not in branch.get(reverse("complaints:bundle_status", args=[case.pk])).content.decode()
    )
    assert branch.get(reverse("complaints:bundle_download", args=[case.pk, "pdf"])).status_code == 403


def test_filed_case_page_reads_its_archive_card_within_the_pinned_queries(
    bundled, client_for, clerk_a, django_assert_num_queries
):
    """Supplements and the latest bundle job come with the case's other lists: a filed case's page takes as many
    queries as any other (docs/performance.md「案件页」), however many supplements it has."""
    from tests.complaints.test_views_cases import CASE_PAGE_QUERIES

    case = bundled.case
    for number in range(3):
        case_supplement_add(actor=clerk_a, case=case, kind="correction", text=f"更正第{number}处")
    client = client_for(clerk_a)
    url = reverse("complaints:case_detail", args=[case.pk])
    client.get(url)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        html = client.get(url).content.decode()
    assert all(f"更正第{number}处" in html for number in range(3))
    assert 'data-testid="bundle-pdf"' in html  # the finished job's downloads, from the job read with the lists
    assert clerk_a.get_full_name() in html or clerk_a.username in html
