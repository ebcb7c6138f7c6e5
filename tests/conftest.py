"""Shared fixtures: the organisation tree, the personas, the work calendar, the browser harness."""

import os

import pytest
from django.conf import settings
from django.db import connection, transaction

from core.models import OrgUnit
from core.roles import Role, sync_roles
from tests import xdist_groups
from tests.factories import make_org, make_user, use_private_files

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures and
# assertions beside it are safe here because nothing else runs concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CALENDAR_YEARS = (2024, 2025, 2026)
_test_database: dict[str, str] = {}
_worker_databases: list[str] = []  # under xdist, in the controller: each worker's own test database


def pytest_configure(config):
    # Django's default hasher runs a million PBKDF2 rounds per password, about half a second on this machine
    # for every persona a test creates. Tests only need passwords to match, so they use the fast MD5 hasher
    # (as healthchecks does); production settings never list it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _sqlite_test_database_skips_fsync()
    _replica_mirrors_the_test_database()
    _own_queue_per_xdist_worker()
    config.pluginmanager.register(xdist_groups, "tests.xdist_groups")


def _sqlite_test_database_skips_fsync() -> None:
    """The SQLite test database is thrown away after the run, so its commits need not wait for the disk: without
    fsync a commit costs microseconds instead of milliseconds. It matters where tests commit a lot: the migrations
    that create the database, the flush and base data after each transactional test, and the demo seeded in
    autocommit for a live server. Locking and the rollback journal are unchanged, so tests see SQLite as before."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF"


def _replica_mirrors_the_test_database() -> None:
    """The alias `replica` (DATABASE_REPLICA_URL in production) is the test database itself, reached by a second
    connection (Django's TEST MIRROR): tests/core/test_replica.py proves which reads the router sends to it. The
    rest of the suite reads from default, as a deployment without a replica does, whatever the environment says."""
    default = settings.DATABASES["default"]
    settings.DATABASES["replica"] = {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}
    settings.REPORT_READS_DATABASE = "default"


def _own_queue_per_xdist_worker() -> None:
    """Under xdist each worker publishes to and consumes from its own queue of the shared broker, so that a real
    Celery worker started by one never runs a task sent from another worker's database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not settings.CELERY_BROKER_URL:
        return
    from laizhou_xiaobao.celery import app

    # Worker subprocesses (tests/resilience/worker_harness.py) inherit the variable and consume the same queue.
    os.environ["TEST_CELERY_QUEUE"] = app.conf.task_default_queue = f"tests-{worker}"


# The data migrations that install rows (rather than schema or SQL functions), and how each is re-installed.
# A transactional test ends by emptying every table, and `--reuse-db` keeps that emptied database for the next
# run; `ensure_base_data` puts these rows back. tests/test_base_data.py fails when a new data migration is
# missing from this list.
RESEEDED_DATA_MIGRATIONS = {
    "core.0003_seed_reference_data": "core.services.reference.ensure_reference_data",
    "core.0005_reminder_schedule": "core.schedules.sync_beat_schedules",
    "core.0008_background_job": "core.schedules.sync_beat_schedules",
    "core.0012_statutory_rules_2026": "core.services.reference.ensure_reference_data (the corrected rules)",
    "core.0017_court_mediation_extensions_uncapped": "core.services.reference.ensure_reference_data (no cap)",
    "institutions.0003_default_rules_and_schedule": "institutions ensure_default_rules and core.schedules",
    "outreach.0002_default_reference_data": "outreach.reference_data.ensure_defaults",
}


# One model of each seeding step (and every beat schedule): when all have rows, the base data is in place.
BASE_DATA_MODELS = [
    "auth.Group",
    "core.Category",
    "core.DeadlineRule",
    "core.WorkCalendarYear",
    "django_celery_beat.PeriodicTask",
    "institutions.InterviewTriggerRule",
    "institutions.ListSuggestionRule",
    "outreach.Brand",
    "outreach.Campaign",
    "outreach.Topic",
    "outreach.TargetGroup",
    "outreach.VenueType",
    "outreach.TrainingSeries",
]


def _base_data_present() -> bool:
    """One query per test instead of the fifty that re-checking every row would take."""
    from django.apps import apps as global_apps
    from django.db.models import Exists
    from django_celery_beat.models import PeriodicTask

    from core.models import WorkCalendarYear

    every_kind = [Exists(global_apps.get_model(label).objects.all()) for label in BASE_DATA_MODELS]
    from core.schedules import SCHEDULES

    schedules = PeriodicTask.objects.count() >= len(SCHEDULES)
    return schedules and WorkCalendarYear.objects.filter(year=CALENDAR_YEARS[-1]).filter(*every_kind).exists()


def _install_base_data() -> None:

    from core.models import WorkCalendarYear
    from core.schedules import sync_beat_schedules
    from core.services.calendar import calendar_load_year_from_library
    from core.services.reference import ensure_reference_data
    from institutions.reference_data import ensure_default_rules
    from outreach.reference_data import ensure_defaults

    sync_roles()
    ensure_reference_data()
    sync_beat_schedules()  # every beat entry, declared once in core/schedules.py
    ensure_default_rules()
    ensure_defaults()
    for year in CALENDAR_YEARS:
        if not WorkCalendarYear.objects.filter(year=year).exists():
            calendar_load_year_from_library(year=year)


def ensure_base_data():
    """Roles, default reference data, the beat schedules and the 2024–2026 calendar: present after migrate, and
    restored after a transactional test flushed them (also in a database kept by `--reuse-db`)."""
    if _base_data_present():
        return
    with transaction.atomic():
        _install_base_data()


def empty_database():
    """What a transactional test leaves behind: every table emptied (Django's TransactionTestCase flush, which puts
    content types and permissions back), then the base data. For a module that commits data once for all its tests
    (tests/core/test_browser_accessibility.py)."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False)
    ensure_base_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_base_data()
    _test_database["name"] = connection.settings_dict["NAME"]


def pytest_sessionfinish(session):
    # An xdist worker hands its database's name to the controller, which prints the summary.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None and "name" in _test_database:
        workeroutput["test_database"] = _test_database["name"]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    name = getattr(node, "workeroutput", {}).get("test_database")
    if name:
        _worker_databases.append(name)


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_a_real_worker_is_wanted(request):
    """Tasks run in-process in ordinary tests even when CI configures a broker; only the tests marked
    `celery_worker` send them through Redis to a real worker."""
    # Browser tests drive a live server thread and are left with the configured task routing.
    if request.node.get_closest_marker("celery_worker") or "live_server" in request.fixturenames:
        yield
        return
    from laizhou_xiaobao.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def base_data(db):
    ensure_base_data()


@pytest.fixture(autouse=True)
def _base_data_whatever_ran_before(request):
    """A transactional test empties every table when it ends, and with `--dist loadgroup` one may run before an
    ordinary database test on the same xdist worker: the base data (deadline rules, calendar, roles) is put back
    first, for the tests that read it without asking for `base_data` (one query when it is there). Transactional
    tests ask for `live_base_data` themselves; a module that keeps its own database (the accessibility walk) is
    left alone."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction") or "transactional_db" in request.fixturenames:
        return
    request.getfixturevalue("base_data")


@pytest.fixture
def orgs(base_data):
    nfra = make_org("nfra", name="国家金融监督管理总局", level=OrgUnit.Level.HEADQUARTERS)
    shandong = make_org("shandong", name="山东监管局", level=OrgUnit.Level.PROVINCE, parent=nfra)
    yantai = make_org("yantai", name="烟台金融监管分局", level=OrgUnit.Level.BRANCH, parent=shandong)
    laizhou = make_org(
        "laizhou",
        name="莱州金融监管支局",
        parent=yantai,
        full_name="国家金融监督管理总局莱州监管支局",
        phone="0535-2200000",
    )
    zhaoyuan = make_org(
        "zhaoyuan", name="招远金融监管支局", parent=yantai, full_name="国家金融监督管理总局招远监管支局"
    )
    yield {"nfra": nfra, "shandong": shandong, "yantai": yantai, "laizhou": laizhou, "zhaoyuan": zhaoyuan}
    _summaries_follow_their_rows()


def _summaries_follow_their_rows() -> None:
    """After every test with offices: the dashboard's summary tables say what the deadlines and cases say, so
    every write the suite makes through the services is also a test of the summaries (docs/architecture.md
    「看板汇总表」). A test that left its transaction broken (on purpose, PostgreSQL) has nothing to check."""
    from django.db import connection

    from complaints.services.case_counts import case_count_differences
    from core.services.deadline_counts import count_differences

    if connection.needs_rollback or (connection.in_atomic_block and not connection.is_usable()):
        return
    assert count_differences() == [], "在办期限汇总表与期限不一致"
    assert case_count_differences() == [], "案件按月汇总表与案件不一致"


@pytest.fixture
def clerk_b(orgs):
    return make_user(org=orgs["laizhou"], role=Role.CLERK, username="clerk_b", name="周明远")


@pytest.fixture
def clerk_a(orgs, clerk_b):
    user = make_user(org=orgs["laizhou"], role=Role.CLERK, username="clerk_a", name="林晓岚", backup=clerk_b)
    clerk_b.backup = user
    clerk_b.save(update_fields=["backup"])
    return user


@pytest.fixture
def supervisor(orgs):
    return make_user(org=orgs["laizhou"], role=Role.SUPERVISOR, username="supervisor", name="孙海涛")


@pytest.fixture
def mediator(orgs):
    return make_user(org=orgs["laizhou"], role=Role.MEDIATOR, username="mediator", name="高文静")


@pytest.fixture
def reviewer(orgs):
    return make_user(org=orgs["yantai"], role=Role.REVIEWER, username="reviewer", name="杜若")


@pytest.fixture
def administrator(orgs):
    return make_user(
        org=orgs["yantai"],
        role=Role.ADMINISTRATOR,
        username="sysadmin",
        name="管理员",
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def system_admin(orgs):
    """三员分立: the 系统管理员 without superuser rights (accounts and reference data)."""
    return make_user(org=orgs["yantai"], role=Role.ADMINISTRATOR, username="yt_sysadmin", name="钱立新", is_staff=True)


@pytest.fixture
def security_admin(orgs):
    """三员分立: the 安全管理员 (roles, permissions, sign-in security)."""
    return make_user(org=orgs["yantai"], role=Role.SECURITY_ADMIN, username="yt_secadmin", name="赵敏", is_staff=True)


@pytest.fixture
def audit_admin(orgs):
    """三员分立: the 审计管理员 (reads the audit log, nothing else)."""
    return make_user(org=orgs["yantai"], role=Role.AUDIT_ADMIN, username="yt_auditor", name="吴静", is_staff=True)


@pytest.fixture
def other_clerk(orgs):
    """A clerk of another sub-bureau: must never see Laizhou's records."""
    return make_user(org=orgs["zhaoyuan"], role=Role.CLERK, username="zy_clerk", name="韩雪")


@pytest.fixture
def private_files(settings, tmp_path):
    """Stored files (exports, attachments, generated lists) go to the test's own folder."""
    return use_private_files(settings, tmp_path / "private")


@pytest.fixture
def client_for(client):
    """Log a persona in: `client_for(clerk_a).get(...)` (second factor verified where the role needs one)."""
    from tests.auth import sign_in

    def login(user):
        return sign_in(client, user)

    return login


# --- Browser harness -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browser here: drive Debian's chromium, without the network
    # chatter the closed network would refuse.
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Bootstrap scrolls smoothly and animates collapses unless the user asks for reduced motion; a click aimed
    # at a button while the page still glides lands on whatever slid under it, so tests ask for reduced motion.
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai", "reduced_motion": "reduce"}


@pytest.fixture(autouse=True)
def _patient_browser(request):
    """A loaded two-core CI machine can take longer than Playwright's 5 s default to render a page."""
    if "page" in request.fixturenames:
        from playwright.sync_api import expect

        expect.set_options(timeout=15_000)
        request.getfixturevalue("page").set_default_timeout(20_000)
    yield


@pytest.fixture
def live_base_data(transactional_db):
    ensure_base_data()


# --- Collection and summary ------------------------------------------------------------------------


def _on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# The transactional tests that take a minute or more (a seeded demo served by gunicorn or walked by axe, the two
# nodes), longest first; then those marked `browser`; then the rest. (Under `--dist loadgroup` a module that is one
# xdist group is handed out as one unit, and the largest units go first.)
LONG_MODULES = (
    "test_two_nodes.py",
    "test_bench_http.py",
    "test_browser_accessibility.py",
)


def _length_rank(item) -> int:
    if item.path.name in LONG_MODULES:
        return LONG_MODULES.index(item.path.name)
    return len(LONG_MODULES) + (item.get_closest_marker("browser") is None)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups it is given here
def pytest_collection_modifyitems(config, items):
    # Real Celery workers (threads and subprocesses) run one at a time, on one xdist worker (`--dist loadgroup`, made
    # effective under pytest 9 by tests/xdist_groups.py): two at once on two cores would make their timeouts flaky
    # and share the broker's unacknowledged-message set.
    for item in items:
        if item.get_closest_marker("celery_worker"):
            item.add_marker(pytest.mark.xdist_group("celery_worker"))
    # Longest first: pytest-django then moves the transactional tests (browsers, servers) to the end, keeping this
    # order within each kind, so the slowest of them start early instead of one of them keeping a worker busy
    # after the other has finished.
    items.sort(key=_length_rank)
    needs = {"celery_worker": not settings.CELERY_BROKER_URL, "postgres": not _on_postgresql()}
    selected, deselected = [], {marker: [] for marker in needs}
    for item in items:
        missing = next(
            (marker for marker, lacking in needs.items() if lacking and item.get_closest_marker(marker)), None
        )
        (deselected[missing] if missing else selected).append(item)
    if any(deselected.values()):
        config.hook.pytest_deselected(items=[item for group in deselected.values() for item in group])
        items[:] = selected
    config._celery_deselected = len(deselected["celery_worker"])
    config._postgres_deselected = len(deselected["postgres"])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    vendor = connection.vendor
    name = "、".join(sorted(_worker_databases)) or _test_database.get("name", "未创建")
    broker = settings.CELERY_BROKER_URL or "未配置（任务在进程内同步执行）"
    terminalreporter.write_sep("=", "测试环境")
    terminalreporter.write_line(f"数据库：{vendor}（{name}）；Celery broker：{broker}")
    terminalreporter.write_line(f"在 {vendor} 上运行 {passed + failed} 个测试：{passed} 通过，{failed} 失败")
    skipped_celery = getattr(config, "_celery_deselected", 0)
    if skipped_celery:
        terminalreporter.write_line(
            f"未配置 broker，{skipped_celery} 个需要真实 Celery worker 的测试未选中（.ci/run 总会运行它们）"
        )
    skipped_postgres = getattr(config, "_postgres_deselected", 0)
    if skipped_postgres:
        terminalreporter.write_line(
            f"数据库不是 PostgreSQL，{skipped_postgres} 个需要 PostgreSQL 的测试"
            "（行锁并发、pg_dump 备份恢复、检索统计）未选中"
            "（设置 DATABASE_URL=postgres://… 运行；.ci/run 总会运行它们）"
        )
