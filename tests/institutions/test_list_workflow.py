"""The list's workflow: guards, the frozen list refusing edits, superseding, who sees what."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from institutions.models import ListItem, QuarterlyList
from institutions.services import lists as svc
from institutions.services.documents import list_generate_files, list_request_files
from tests.factories import make_institution_case


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def draft(orgs, clerk_a, bank, insurer):
    for _n in range(6):
        make_institution_case(institution=bank, received_on=dt.date(2026, 8, 3), owner=clerk_a)
    return svc.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)


def _decide_all(actor, quarterly_list):
    for item in ListItem.objects.filter(row__quarterly_list=quarterly_list, state=ListItem.State.SUGGESTED):
        svc.item_decide(actor=actor, item=item, accept=True)


def _approved_with_files(draft, clerk_a, supervisor):
    _decide_all(clerk_a, draft)
    svc.list_submit(actor=clerk_a, quarterly_list=draft)
    svc.list_approve(actor=supervisor, quarterly_list=draft)
    job = list_request_files(actor=clerk_a, quarterly_list=draft)
    list_generate_files(draft.pk, job_id=job.pk)  # what the task queued on commit does
    draft.refresh_from_db()
    return draft


def test_one_current_list_per_quarter(draft, orgs, clerk_a):
    with pytest.raises(ValidationError, match="已存在"):
        svc.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)


def test_a_future_quarter_cannot_be_drafted(orgs, clerk_a, bank):
    with pytest.raises(ValidationError, match="尚未开始"):
        svc.list_draft(org=orgs["laizhou"], year=2027, quarter=1, actor=clerk_a)


def test_outsider_cannot_draft(orgs, other_clerk, bank):
    with pytest.raises(PermissionDenied):
        svc.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=other_clerk)


def test_submit_needs_every_suggestion_decided(draft, clerk_a):
    with pytest.raises(ValidationError, match="系统建议未确认"):
        svc.list_submit(actor=clerk_a, quarterly_list=draft)
    assert QuarterlyList.objects.get(pk=draft.pk).status == QuarterlyList.Status.DRAFT


def test_accepting_a_negative_item_makes_the_row_negative(draft, clerk_a, bank, insurer):
    row = draft.rows.get(institution=bank)
    item = row.items.filter(polarity="negative").first()
    svc.item_decide(actor=clerk_a, item=item, accept=True)
    row.refresh_from_db()
    assert row.assessment == "negative"
    other = draft.rows.get(institution=insurer)
    svc.item_decide(actor=clerk_a, item=other.items.get(), accept=True)
    other.refresh_from_db()
    assert other.assessment == "positive"
    svc.row_set_assessment(actor=clerk_a, row=other, assessment="neutral", note="人工调整")
    svc.item_add(actor=clerk_a, row=other, polarity="positive", element="education", description="获评表彰")
    other.refresh_from_db()
    assert other.assessment == "neutral"  # chosen by hand: later items do not override it


def test_only_the_supervisor_approves_a_submitted_list(draft, clerk_a, supervisor):
    _decide_all(clerk_a, draft)
    with pytest.raises(ValidationError, match="已提交审批"):
        svc.list_approve(actor=supervisor, quarterly_list=draft)
    svc.list_submit(actor=clerk_a, quarterly_list=draft)
    with pytest.raises(PermissionDenied):
        svc.list_approve(actor=clerk_a, quarterly_list=draft)
    with pytest.raises(ValidationError, match="只有草稿可以修改"):
        svc.item_add(actor=clerk_a, row=draft.rows.first(), polarity="positive", element="service", description="x")
    svc.list_approve(actor=supervisor, quarterly_list=draft)
    assert (draft.status, draft.approved_by) == (QuarterlyList.Status.APPROVED, supervisor)


def test_return_sends_the_list_back_to_draft(draft, clerk_a, supervisor):
    _decide_all(clerk_a, draft)
    svc.list_submit(actor=clerk_a, quarterly_list=draft)
    with pytest.raises(ValidationError, match="理由"):
        svc.list_return(actor=supervisor, quarterly_list=draft, reason=" ")
    svc.list_return(actor=supervisor, quarterly_list=draft, reason="补充调研发现")
    assert draft.status == QuarterlyList.Status.DRAFT


def test_freezing_needs_files_generated_after_approval(draft, clerk_a, supervisor):
    _decide_all(clerk_a, draft)
    svc.list_submit(actor=clerk_a, quarterly_list=draft)
    svc.list_approve(actor=supervisor, quarterly_list=draft)
    with pytest.raises(ValidationError, match="请先在批准后生成"):
        svc.list_freeze(actor=supervisor, quarterly_list=draft)


def test_freeze_records_snapshot_hashes_who_and_when(draft, clerk_a, supervisor, bank):
    approved = _approved_with_files(draft, clerk_a, supervisor)
    assert approved.generated_at is not None
    with pytest.raises(PermissionDenied):
        svc.list_freeze(actor=clerk_a, quarterly_list=approved)
    frozen = svc.list_freeze(actor=supervisor, quarterly_list=approved)
    assert frozen.status == QuarterlyList.Status.FROZEN
    assert frozen.frozen_by == supervisor and frozen.frozen_at is not None
    assert len(frozen.pdf_sha256) == 64 and len(frozen.xlsx_sha256) == 64
    bank_row = next(r for r in frozen.snapshot["rows"] if r["institution_id"] == bank.pk)
    assert bank_row["figures"]["complaints"] == 6
    assert bank_row["assessment"] == "negative"
    assert frozen.snapshot["period"] == "2026Q3"
    entry = AuditEntry.objects.get(action="institutions.list.frozen")
    assert entry.data["pdf_sha256"] == frozen.pdf_sha256


def test_a_frozen_list_refuses_every_edit(draft, clerk_a, supervisor):
    frozen = svc.list_freeze(actor=supervisor, quarterly_list=_approved_with_files(draft, clerk_a, supervisor))
    row = frozen.rows.first()
    item = ListItem.objects.filter(row__quarterly_list=frozen).first()
    attempts = [
        lambda: svc.item_decide(actor=supervisor, item=item, accept=False),
        lambda: svc.item_edit(actor=supervisor, item=item, element="service", description="改写"),
        lambda: svc.item_add(actor=supervisor, row=row, polarity="positive", element="service", description="加"),
        lambda: svc.row_set_assessment(actor=supervisor, row=row, assessment="positive"),
        lambda: svc.list_refresh(actor=supervisor, quarterly_list=frozen),
        lambda: list_request_files(actor=supervisor, quarterly_list=frozen),
        lambda: svc.list_return(actor=supervisor, quarterly_list=frozen, reason="改"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    item.refresh_from_db()
    assert item.state == ListItem.State.ACCEPTED
    pdf_name = frozen.pdf_file.name
    list_generate_files(frozen.pk)  # a stray task run leaves the frozen files alone
    frozen.refresh_from_db()
    assert frozen.pdf_file.name == pdf_name


def test_a_frozen_list_is_superseded_by_a_new_version_with_a_reason(draft, clerk_a, supervisor):
    frozen = svc.list_freeze(actor=supervisor, quarterly_list=_approved_with_files(draft, clerk_a, supervisor))
    with pytest.raises(ValidationError, match="原因"):
        svc.list_supersede(actor=supervisor, quarterly_list=frozen, reason="")
    new = svc.list_supersede(actor=supervisor, quarterly_list=frozen, reason="分局要求补充机构")
    frozen.refresh_from_db()
    assert frozen.status == QuarterlyList.Status.SUPERSEDED
    assert (new.version, new.status, new.supersedes, new.supersede_reason) == (
        2,
        QuarterlyList.Status.DRAFT,
        frozen,
        "分局要求补充机构",
    )
    assert new.rows.count() == frozen.rows.count()
    assert (
        ListItem.objects.filter(row__quarterly_list=new).count()
        == ListItem.objects.filter(row__quarterly_list=frozen).count()
    )
    svc.item_add(actor=clerk_a, row=new.rows.first(), polarity="positive", element="service", description="补充")


def test_reviewer_sees_only_lists_submitted_to_the_branch(draft, clerk_a, supervisor, reviewer, orgs, other_clerk):
    from core.models import User

    assert not QuarterlyList.objects.for_user(reviewer).exists()
    frozen = svc.list_freeze(actor=supervisor, quarterly_list=_approved_with_files(draft, clerk_a, supervisor))
    reviewer = User.objects.get(pk=reviewer.pk)
    assert list(QuarterlyList.objects.for_user(reviewer)) == [frozen]
    assert not QuarterlyList.objects.for_user(other_clerk).exists()
