"""seed_demo gives a new user the records of a case's later life to look at (laizhou_xiaobao/demo/records.py): filed
cases whose bundle opens, an old filed case past its retention proposed for destruction, a transfer with its 转送函,
a decided 复查, a paused clock, a 重大 matter, and a submitted statistics report for last quarter; seeding again
makes no doubles. Seeded on 1 January, the first day of a quarter and of a year."""

import datetime as dt
import io
import zipfile
import zoneinfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from pypdf import PdfReader

from complaints.models import Case, CaseArchive, CaseDocument, DestructionDecision, PetitionReview, Transfer
from complaints.services.archive_bundle import BUNDLE_NAME, MANIFEST_NAME
from core.models import Deadline, DeadlinePause, User
from laizhou_xiaobao.demo.records import FILED, MAJOR, PAST_RETENTION, PAUSED, REVIEWED, SUMMARIES, TRANSFERRED
from laizhou_xiaobao.statistics.models import StatisticsReport
from tests.auth import sign_in

# One seeding serves the module: its tests share one xdist worker (`--dist loadgroup`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_records")]

NEW_YEAR = dt.datetime(2027, 1, 1, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def _seed():
    call_command("seed_demo", "--cases", "20", "--force", stdout=io.StringIO())


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module, in a transaction rolled back after its last test (each test's own changes,
    such as seeding again, are rolled back to a savepoint inside it); its files in the module's own folder."""
    folder = tmp_path_factory.mktemp("private")
    files = override_settings(PRIVATE_FILES_ROOT=folder, MEDIA_ROOT=folder)
    with django_db_blocker.unblock(), files, transaction.atomic():
        with time_machine.travel(NEW_YEAR, tick=False):
            _seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once):
    """Each test runs on the morning of the seeding, as a user who just ran it would."""
    with time_machine.travel(NEW_YEAR, tick=False):
        yield


def _case(summary) -> Case:
    return Case.objects.get(summary=summary)


def test_the_filed_cases_have_a_bundle_that_opens(seeded, client):
    clerk = User.objects.get(username="lz_clerk_a")
    client = sign_in(client, clerk)
    for summary in FILED:
        archive = CaseArchive.objects.get(case__summary=summary)
        assert archive.filed_on == NEW_YEAR.date() and archive.case.attachments.count() == 3
        pdf = client.get(reverse("complaints:bundle_download", args=[archive.case_id, "pdf"]))
        reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
        assert len(reader.pages) == archive.bundle_pages > 2 + 3
        package = client.get(reverse("complaints:bundle_download", args=[archive.case_id, "zip"]))
        with zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content))) as bundle_zip:
            names = bundle_zip.namelist()
            assert BUNDLE_NAME in names and MANIFEST_NAME in names
            assert sum(name.startswith("附件/") for name in names) == 3


def test_an_old_filed_case_past_its_retention_is_proposed_for_destruction(seeded):
    archive = CaseArchive.objects.get(case__summary=PAST_RETENTION)
    assert archive.filed_on.year == 2016 and archive.retention_until == dt.date(2026, 12, 31)
    assert archive.retention_until < NEW_YEAR.date()
    decision = DestructionDecision.objects.get(archive=archive)
    assert decision.state == DestructionDecision.State.PROPOSED and archive.destroyed_at is None


def test_a_transfer_with_its_letter_a_decided_recheck_a_paused_clock_and_a_major_matter(seeded):
    transferred = _case(TRANSFERRED)
    transfer = Transfer.objects.get(case=transferred)
    assert transfer.authority_name == "莱州市公安局" and transfer.acknowledged_on == NEW_YEAR.date()
    assert transferred.documents.filter(kind=CaseDocument.Kind.TRANSFER_LETTER).exists()
    assert transferred.closure == "not_our_remit"

    review = PetitionReview.objects.get(case=_case(REVIEWED))
    assert (review.kind, review.decision) == (PetitionReview.Kind.RECHECK, PetitionReview.Decision.UPHELD)

    paused = _case(PAUSED)
    case_type = ContentType.objects.get_for_model(Case)
    pause = DeadlinePause.objects.get(deadline__content_type=case_type, deadline__object_id=paused.pk)
    assert pause.end_on is None and pause.kind == "materials" and pause.deadline.status == Deadline.Status.OPEN

    major = _case(MAJOR)
    assert major.is_major and major.major_reason


def test_last_quarter_has_a_submitted_statistics_report(seeded):
    # Seeded on 1 January 2027: last quarter is 2026 Q4.
    submitted = StatisticsReport.objects.get(org__code="zhaoyuan", year=2026, quarter=4)
    assert submitted.status == StatisticsReport.Status.SUBMITTED and submitted.snapshot_sha256
    draft = StatisticsReport.objects.get(org__code="laizhou", year=2026, quarter=4)
    assert draft.status == StatisticsReport.Status.DRAFT


def test_seeding_again_makes_no_doubles(seeded):
    counts = {
        "cases": Case.objects.filter(summary__in=SUMMARIES).count(),
        "archives": CaseArchive.objects.count(),
        "decisions": DestructionDecision.objects.count(),
        "transfers": Transfer.objects.count(),
        "reviews": PetitionReview.objects.count(),
        "reports": StatisticsReport.objects.count(),
    }
    assert counts["cases"] == len(SUMMARIES)
    with time_machine.travel(NEW_YEAR + dt.timedelta(hours=2), tick=False):
        _seed()
    assert counts == {
        "cases": Case.objects.filter(summary__in=SUMMARIES).count(),
        "archives": CaseArchive.objects.count(),
        "decisions": DestructionDecision.objects.count(),
        "transfers": Transfer.objects.count(),
        "reviews": PetitionReview.objects.count(),
        "reports": StatisticsReport.objects.count(),
    }
