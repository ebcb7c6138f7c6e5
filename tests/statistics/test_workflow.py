"""The report's workflow through the pages: draft, summary, check, approve, files, submit (frozen with snapshot and
SHA-256), the branch's return with a reason, the corrected version superseding it; and the refusals."""

import hashlib
import json

import pytest
from django.urls import reverse

from core.models import AuditEntry
from laizhou_xiaobao.statistics.models import StatisticsReport
from laizhou_xiaobao.statistics.services import snapshot_sha256

S = StatisticsReport.Status


@pytest.fixture
def client_for(db):
    """A client of its own per person (several people act in one test), signed in through tests/auth.py."""
    from django.test import Client

    from tests.auth import sign_in

    return lambda user: sign_in(Client(), user)


def _draft(client) -> StatisticsReport:
    response = client.post(reverse("statistics:create"), {"period": "2026Q3"})
    report = StatisticsReport.objects.get(year=2026, quarter=3)
    assert response["Location"] == reverse("statistics:detail", args=[report.pk])
    return report


def _act(client, report, action, **data):
    return client.post(reverse("statistics:action", args=[report.pk, action]), data, follow=True)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The job is published when the request's transaction commits; the test's own transaction never does."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def _submitted(client_for, clerk_a, supervisor, run_on_commit) -> StatisticsReport:
    clerk = client_for(clerk_a)
    report = _draft(clerk)
    _act(clerk, report, "check")
    boss = client_for(supervisor)
    _act(boss, report, "approve")
    # The task runs in-process when the request commits.
    run_on_commit(lambda: boss.post(reverse("statistics:generate", args=[report.pk])))
    _act(boss, report, "submit")
    report.refresh_from_db()
    return report


def test_a_clerk_drafts_edits_the_summary_and_checks(quarter, client_for, clerk_a):
    client = client_for(clerk_a)
    report = _draft(client)
    assert report.status == S.DRAFT and report.figures["headline"]["received"] == 3
    assert "受理信访投诉3件" in report.summary
    page = client.get(reverse("statistics:detail", args=[report.pk]))
    assert page.status_code == 200 and "summary-form" in page.content.decode()
    response = client.post(reverse("statistics:summary", args=[report.pk]), {"summary": "本季度平稳。"})
    assert response.status_code == 302
    response = client.post(reverse("statistics:summary", args=[report.pk]), {"summary": "  "})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "本季度平稳。"
    _act(client, report, "check")
    report.refresh_from_db()
    assert (report.status, report.checked_by) == (S.CHECKED, clerk_a)
    # Checked: the summary is no longer editable.
    client.post(reverse("statistics:summary", args=[report.pk]), {"summary": "改了"})
    report.refresh_from_db()
    assert report.summary == "本季度平稳。"


def test_a_clerk_cannot_approve_or_submit(quarter, client_for, clerk_a):
    client = client_for(clerk_a)
    report = _draft(client)
    _act(client, report, "check")
    page = _act(client, report, "approve")
    assert "只有本单位负责人可以执行此操作" in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.CHECKED and report.approved_by is None


def test_a_future_or_duplicate_period_is_refused(quarter, client_for, clerk_a):
    client = client_for(clerk_a)
    _draft(client)
    page = client.post(reverse("statistics:create"), {"period": "2026Q3"}, follow=True)
    assert "该期间的统计报表已存在" in page.content.decode()
    page = client.post(reverse("statistics:create"), {"period": "2026Q4"}, follow=True)
    assert "统计期间尚未结束" in page.content.decode()
    page = client.post(reverse("statistics:create"), {"period": "26-3"}, follow=True)
    assert "统计期间格式应为" in page.content.decode()
    assert StatisticsReport.objects.count() == 1


def test_submitting_needs_files_generated_after_approval(quarter, client_for, clerk_a, supervisor):
    clerk = client_for(clerk_a)
    report = _draft(clerk)
    _act(clerk, report, "check")
    boss = client_for(supervisor)
    _act(boss, report, "approve")
    page = _act(boss, report, "submit")
    assert "请先在批准后生成PDF和Excel文件" in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.APPROVED


def test_submission_freezes_with_snapshot_hash_who_and_when(quarter, client_for, clerk_a, supervisor, run_on_commit):
    report = _submitted(client_for, clerk_a, supervisor, run_on_commit)
    assert report.status == S.SUBMITTED
    assert report.submitted_by == supervisor and report.submitted_at is not None
    assert report.snapshot["figures"] == report.figures and report.snapshot["summary"] == report.summary
    assert report.snapshot_sha256 == snapshot_sha256(report.snapshot)
    text = json.dumps(report.snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert report.snapshot_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert report.pdf_sha256 == hashlib.sha256(report.pdf_file.open("rb").read()).hexdigest()
    assert AuditEntry.objects.filter(action="statistics.report.submitted").count() == 1
    assert report.is_late  # due by 10 October, submitted on the 12th
    # Frozen: no refresh, no new files, no summary edit.
    boss = client_for(supervisor)
    page = _act(boss, report, "refresh")
    assert "报表已报送分局并锁定" in page.content.decode()
    page = boss.post(reverse("statistics:generate", args=[report.pk]), follow=True)
    assert "文件不能重新生成" in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_the_branch_returns_with_a_reason_and_a_corrected_version_supersedes(
    quarter, client_for, clerk_a, supervisor, reviewer, other_clerk, run_on_commit
):
    report = _submitted(client_for, clerk_a, supervisor, run_on_commit)
    branch = client_for(reviewer)
    page = _act(branch, report, "return", reason="")
    assert "退回须说明理由" in page.content.decode()
    # The office itself cannot return its own submission to itself.
    page = _act(client_for(supervisor), report, "return", reason="自己退回")
    assert "只有分局审阅人员可以退回报表" in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    _act(branch, report, "return", reason="群体件口径有误")
    report.refresh_from_db()
    assert (report.status, report.return_reason, report.returned_by) == (S.RETURNED, "群体件口径有误", reviewer)
    # Another sub-bureau's clerk does not see it at all.
    assert client_for(other_clerk).get(reverse("statistics:detail", args=[report.pk])).status_code == 404
    boss = client_for(supervisor)
    response = boss.post(reverse("statistics:action", args=[report.pk, "supersede"]), {"reason": "按分局意见更正"})
    new = StatisticsReport.objects.get(year=2026, quarter=3, version=2)
    assert response["Location"] == reverse("statistics:detail", args=[new.pk])
    report.refresh_from_db()
    assert report.status == S.SUPERSEDED and report.snapshot_sha256  # kept, with what the branch received
    assert new.status == S.DRAFT and new.supersedes == report and new.supersede_reason == "按分局意见更正"
    assert new.summary == report.summary and new.figures["headline"] == report.figures["headline"]
    page = boss.get(reverse("statistics:detail", args=[new.pk])).content.decode()
    assert "v1" in page and "v2" in page


def test_the_reviewer_sees_only_submitted_reports(quarter, client_for, clerk_a, reviewer):
    report = _draft(client_for(clerk_a))
    assert client_for(reviewer).get(reverse("statistics:detail", args=[report.pk])).status_code == 404


def test_reopen_sends_an_approved_report_back_to_draft(quarter, client_for, clerk_a, supervisor):
    clerk = client_for(clerk_a)
    report = _draft(clerk)
    _act(clerk, report, "check")
    boss = client_for(supervisor)
    _act(boss, report, "approve")
    page = _act(boss, report, "reopen", reason="")
    assert "退回须说明理由" in page.content.decode()
    _act(boss, report, "reopen", reason="小结需补充")
    report.refresh_from_db()
    assert report.status == S.DRAFT and report.approved_at is None


@pytest.mark.parametrize("period", ["2026", "2026Q1"])
def test_a_year_or_an_earlier_quarter_can_be_drafted(quarter, client_for, clerk_a, period):
    from tests.factories import at

    with at("2027-01-05"):
        client = client_for(clerk_a)
        client.post(reverse("statistics:create"), {"period": period})
    report = StatisticsReport.objects.get()
    assert report.period_label == ("2026年度" if period == "2026" else "2026年第1季度")
    if period == "2026":
        assert report.figures["headline"]["received"] == 5  # Q2, Q3 and 1 October
