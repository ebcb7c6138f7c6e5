"""Demo cases (seed) and the bench command's registry."""

import datetime as dt
import os
import subprocess  # nosec B404 # the large load runs in a fresh interpreter
import sys

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from complaints.models import Case, CaseSearchIndex, CaseSearchText
from core.models import Deadline, NumberSequence
from laizhou_xiaobao.demo import case_seeder, load_indexes
from laizhou_xiaobao.demo import complaints as demo
from laizhou_xiaobao.demo.base import demo_password, seed_accounts, seed_institutions, seed_orgs


def seeded_offices():
    orgs = seed_orgs()
    seed_accounts(orgs, demo_password())
    seed_institutions(orgs)
    return orgs


def test_demo_seed_is_consistent_and_idempotent(base_data):
    orgs = seeded_offices()
    assert demo.seed(orgs=orgs, cases=60) == 60
    assert demo.seed(orgs=orgs, cases=60) == 0  # a second run adds nothing
    assert_consistent(orgs)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_large_load_in_parallel_parts_with_copy_gives_the_same_consistency(live_base_data, monkeypatch):
    """A load counted as large (100,000 by default, lowered here) drops the tables' indexes, writes each office's
    cases of each year with COPY in parallel processes on their own connections, builds the indexes again and
    vacuums: the same consistent data, every index back."""
    from django.db import connection

    orgs = seeded_offices()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (started,) = cursor.fetchone()
    out = _large_load_in_a_fresh_process(cases=60)
    assert "made 60" in out and "重建索引（检索的 GIN 索引和" in out
    with connection.cursor() as cursor:
        # Every table the load wrote, histories included, vacuumed and analyzed after it (autovacuum may be off).
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s) AND last_vacuum >= %s AND last_analyze >= %s",
            [list(demo.VACUUMED), started, started],
        )
        assert sorted(name for (name,) in cursor.fetchall()) == sorted(demo.VACUUMED)
    monkeypatch.setattr(demo, "LARGE_LOAD", 50)
    assert demo.seed(orgs=orgs, cases=60) == 0
    assert_consistent(orgs)
    assert load_indexes.build_missing() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)", [list(load_indexes.declared())])
        assert cursor.fetchone() == (len(load_indexes.declared()),)
    # Each office's numbers run without a gap from its own sequence, as in a serial load.
    for org in orgs.values():
        numbers = Case.objects.filter(org=org).values_list("number", flat=True)
        by_prefix: dict[tuple, list[int]] = {}
        for number in numbers:
            prefix, year, value = number.rsplit("-", 2)
            by_prefix.setdefault((prefix, year), []).append(int(value))
        assert all(sorted(values) == list(range(1, len(values) + 1)) for values in by_prefix.values())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_indexes_a_load_left_missing_are_built_by_the_next_seed(live_base_data):
    """A large load killed before building its indexes again leaves them missing; the next seed_demo builds them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX case_ledger_order")
        cursor.execute(f"DROP INDEX {load_indexes.SEARCH_GIN}")
    demo.seed(orgs=seeded_offices(), cases=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_ledger_order'")
        assert cursor.fetchone()[0].startswith("CREATE INDEX case_ledger_order ON public.complaints_case USING btree")
    assert load_indexes.build_missing() == []


def _large_load_in_a_fresh_process(*, cases: int) -> str:
    """`demo.seed` with the large-load threshold lowered to 50, in a new Python process on this test's database.

    The load forks processes for its parts. This test process may have other threads (a browser test's live server
    lives for the whole session); forking a process that has threads can hang or share a socket, which a real
    `seed_demo` (a fresh process) never meets — so the load runs in a fresh process, as `seed_demo` does.
    """
    from django.db import connection

    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    url = f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    code = (
        "import sys, django; django.setup()\n"
        "from django.core.management.base import OutputWrapper\n"
        "from laizhou_xiaobao.demo import complaints as demo\n"
        "from laizhou_xiaobao.demo.base import seed_orgs\n"
        "demo.LARGE_LOAD = 50\n"
        f"made = demo.seed(orgs=seed_orgs(), cases={cases}, stdout=OutputWrapper(sys.stdout))\n"
        "print('made', made)\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "laizhou_xiaobao.settings"}
    done = subprocess.run(  # nosec B603 # this interpreter, fixed code
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def assert_consistent(orgs):
    assert Case.objects.filter(org=orgs["laizhou"]).count() == 36
    assert Case.objects.filter(org=orgs["zhaoyuan"]).count() == 24
    assert Case.history.count() == 60  # one initial history row per case
    assert CaseSearchIndex.objects.count() == 60
    # The search text of each case, in its own unit.
    assert set(CaseSearchText.objects.values_list("case_id", "org_id")) == set(Case.objects.values_list("pk", "org_id"))
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


def test_a_load_stopped_half_way_continues_when_run_again(base_data, monkeypatch):
    """Each batch commits with its number sequences: a seeding interrupted (Ctrl+C, a lost connection) and run
    again tops up to the same count with no number given twice."""
    orgs = seeded_offices()
    monkeypatch.setattr(case_seeder, "BATCH", 10)
    batches = {"n": 0}
    children = case_seeder.Seeder.children

    def interrupted(self, cases, plans):
        batches["n"] += 1
        if batches["n"] == 3:
            raise KeyboardInterrupt
        return children(self, cases, plans)

    monkeypatch.setattr(case_seeder.Seeder, "children", interrupted)
    with pytest.raises(KeyboardInterrupt):
        demo.seed(orgs=orgs, cases=60)
    assert Case.objects.count() == 20  # two batches of ten kept, the third rolled back
    monkeypatch.setattr(case_seeder.Seeder, "children", children)
    assert demo.seed(orgs=orgs, cases=60) == 40
    assert_consistent(orgs)
    numbers = list(Case.objects.values_list("org_id", "number"))
    assert len(set(numbers)) == len(numbers) == 60
