"""Demo cases (seed) and the bench command's registry."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from complaints.models import Case, CaseSearchIndex
from core.models import Deadline, NumberSequence
from laizhou_xiaobao.demo import complaints as demo
from laizhou_xiaobao.demo.base import demo_password, seed_accounts, seed_institutions, seed_orgs


def test_demo_seed_is_consistent_and_idempotent(base_data):
    orgs = seed_orgs()
    seed_accounts(orgs, demo_password())
    seed_institutions(orgs)
    assert demo.seed(orgs=orgs, cases=60) == 60
    assert demo.seed(orgs=orgs, cases=60) == 0  # a second run adds nothing
    assert Case.objects.filter(org=orgs["laizhou"]).count() == 36
    assert Case.objects.filter(org=orgs["zhaoyuan"]).count() == 24
    assert Case.history.count() == 60  # one initial history row per case
    assert CaseSearchIndex.objects.count() == 60
    case_ct = ContentType.objects.get_for_model(Case)
    for case in Case.objects.all():
        open_due = Deadline.objects.open().filter(content_type=case_ct, object_id=case.pk).order_by("due_on").first()
        assert case.due_on == (open_due.due_on if open_due else None)
        if case.status == "closed":
            assert case.closed_at is not None and case.due_on is None
        if case.is_anonymous:
            assert case.case_type == "report" and not case.name and open_due is None
    # New numbers continue after the demo's.
    last = NumberSequence.objects.filter(org=orgs["laizhou"]).order_by("-last_value").first()
    assert Case.objects.filter(org=orgs["laizhou"], number=f"{last.key}-{last.year}-{last.last_value:04d}").exists()
    assert Case.objects.filter(received_on__lt=dt.date.today() - dt.timedelta(days=700)).exists()  # noqa: DTZ011


def test_bench_lists_registered_measurements(capsys):
    call_command("bench", "--list")
    out = capsys.readouterr().out
    for name in ("ledger_first_page", "ledger_filtered", "search_2char", "search_4char", "case_detail", "export_xlsx"):
        assert name in out
