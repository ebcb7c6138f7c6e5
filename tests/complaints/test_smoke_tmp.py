import pytest
from complaints.services.archive import case_file
from tests.complaints.archive_world import closed_petition
from tests.factories import at
pytestmark = pytest.mark.django_db

def test_smoke(register, clerk_a, private_files, django_capture_on_commit_callbacks):
    case = closed_petition(register, clerk_a)
    with at("2026-05-06"), django_capture_on_commit_callbacks(execute=True):
        archive = case_file(actor=clerk_a, case=case, version=case.version)
    archive.refresh_from_db()
    print(archive.archive_number, archive.retention_label, archive.bundle_pages, archive.bundle_pdf.name, archive.bundle_zip.name)
    assert archive.bundle_pages
