"""The bundle measurement (laizhou_xiaobao/bench/archive.py) at a tiny scale: it makes its filed case once through
the services, marked as benchmark data, reuses it on the next run, and reports time, memory and a verdict."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from complaints.models import Case, CaseArchive
from laizhou_xiaobao.bench.archive import BENCH_SUMMARY
from laizhou_xiaobao.bench.runner import discover, run_all, write_results

# One seeding serves the module: its tests share one xdist worker (`--dist loadgroup`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("bench_archive")]

# One timed run per measurement (`--max-repeat 1`, as tests/bench/test_bench_dates.py has it): what is checked is
# what is measured and how it is judged, not how steadily.
OPTIONS = {"no_memory": False, "bundle_attachments": 3, "bundle_scale": 0.05, "max_repeat": 1}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module, in a transaction rolled back after its last test (each test's own changes,
    such as the benchmark's filed case, are rolled back to a savepoint inside it)."""
    folder = tmp_path_factory.mktemp("private")
    files = override_settings(PRIVATE_FILES_ROOT=folder, MEDIA_ROOT=folder)
    with django_db_blocker.unblock(), files, transaction.atomic():
        call_command("seed_demo", "--cases", "10", "--force", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_the_bundle_measurement_makes_its_case_once_and_judges_the_result(seeded, tmp_path):
    discover()
    out = io.StringIO()
    (result,) = run_all(["archive_bundle_30"], OPTIONS, out)
    summary = BENCH_SUMMARY.format(n=3)
    case = Case.objects.get(summary=summary)
    assert case.summary.startswith("【基准测试数据】") and case.status == "closed"
    archive = CaseArchive.objects.get(case=case)
    assert archive.bundle_pages > 3 and archive.bundle_zip
    assert sorted(case.attachments.values_list("original_name", flat=True)) == [
        "IMG_2000.jpg",
        "截图_03.png",
        "扫描件_02.pdf",
    ]
    assert result.queries > 0 and result.median_ms > 0 and result.peak_mb > 0
    assert result.met is not None  # judged against ≤ 10 s and ≤ 200 MB
    assert "3 个附件" in result.notes[0] and "卷宗PDF" in result.notes[0]
    assert "目标 ≤ 10 s，≤ 200 MB" in out.getvalue()

    # The next run reuses the case.
    run_all(["archive_bundle_30"], {**OPTIONS, "no_memory": True}, io.StringIO())
    assert Case.objects.filter(summary=summary).count() == 1

    md_path, json_path = write_results([result], tmp_path, header="测试")
    row = next(line for line in md_path.read_text(encoding="utf-8").splitlines() if line.startswith("| 卷宗"))
    assert row.rstrip(" |").endswith("是") or row.endswith("**否** |")
    saved = json.loads(json_path.read_text(encoding="utf-8"))["results"][0]
    assert saved["met"] == result.met and saved["rss_mb"] == result.rss_mb


def test_the_statistics_measurements_report_fixed_query_counts_and_a_verdict(seeded):
    discover()
    out = io.StringIO()
    options = {"no_memory": True, "max_repeat": 1}
    draft, rollup = run_all(["statistics_draft_office", "statistics_branch_rollup"], options, out)
    # The figures take 6 queries, the roll-up 2 (pinned in tests/statistics/test_query_counts.py).
    assert (draft.queries, rollup.queries) == (6, 2)
    assert draft.met is not None and rollup.met is not None
    assert out.getvalue().count("目标 ≤ 2 s，查询数固定") == 2
