"""Two web nodes behind nginx share everything a request needs (docs/operations.md「多台服务器」).

Started here, each on a free port of 127.0.0.1: a Redis of the test's own (cache and broker; stopped and started
again below, never the machine's Redis), an S3-compatible object store (moto in server mode), a Celery worker, two
gunicorn nodes with production settings on the test database, and nginx (run as an ordinary user, everything it
writes in the test's folder) in front of them. A person signs in through nginx with the real login form (and the
authenticator's code) and then works on either node:

- an attachment uploaded through node 1 downloads through node 2, byte for byte, with its audit entry;
- the quarterly list's PDF, built by the worker, is served by either node;
- a work-calendar correction made through node 1 changes node 2's deadline calculator at once;
- the signed-in session is valid on both nodes;
- /readyz answers 503 while the Redis is stopped and 200 again once it is back;
- no node (nor the worker) writes a file to its local disk: everything is in the bucket.

Needs PostgreSQL (the nodes share the test database: marker `postgres`), and redis-server, nginx and moto_server
installed (.ci/sysdeps.sh, requirements-dev.txt); it runs with the Celery-worker tests (marker `celery_worker`,
one xdist group), i.e. whenever CELERY_BROKER_URL is configured, and always in .ci/run. Measured on this two-core
machine while it was shared (load average 9): set-up 38–55 s (collecting the static files, booting the processes),
the checks 24–34 s, tear-down 26 s (stopping the servers, emptying the test database).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from complaints.models import Attachment
from core.models import AuditEntry, BackgroundJob, WorkCalendarDay
from institutions.models import ListItem, QuarterlyList
from institutions.services import lists as list_services
from laizhou_xiaobao.bench.cluster import cluster, production_env, stop_all
from laizhou_xiaobao.bench.http import collect_static
from tests.factories import PASSWORD, make_case, make_institution_case
from tests.helpers import PrintedPdf
from tests.institutions.conftest import bank, insurer, rules  # noqa: F401
from tests.nodes import servers
from tests.nodes.web import Browser

pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DUE = re.compile(r"截止日期：<strong>([0-9-]+)</strong>")


@pytest.fixture
def production_keys(settings):
    """Keys of this run shared by the test process and the nodes (production settings refuse the development ones),
    set before any personal data is written."""
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    settings.PERSONAL_DATA_HASH_KEY = secrets.token_urlsafe(48)


@pytest.fixture
def office(production_keys, orgs, clerk_a, supervisor, administrator, bank, insurer):  # noqa: F811
    """A case to attach evidence to and an approved quarterly list to print, made at a pinned date."""
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, tzinfo=dt.UTC), tick=False):
        case = make_case(org=orgs["laizhou"], owner=clerk_a)
        for _n in range(3):
            make_institution_case(institution=bank, received_on=dt.date(2026, 8, 3), owner=clerk_a)
        quarterly_list = list_services.list_draft(org=orgs["laizhou"], year=2026, quarter=3, actor=clerk_a)
        for item in ListItem.objects.filter(row__quarterly_list=quarterly_list):
            list_services.item_decide(actor=clerk_a, item=item, accept=True)
        list_services.list_submit(actor=clerk_a, quarterly_list=quarterly_list)
        list_services.list_approve(actor=supervisor, quarterly_list=quarterly_list)
    # The nodes check passwords with the production hashers, not the tests' fast MD5 (tests/conftest.py).
    hasher = PBKDF2PasswordHasher()
    for person in (supervisor, administrator):
        person.password = hasher.encode(PASSWORD, hasher.salt())
        person.save(update_fields=["password"])
    return case, quarterly_list


@pytest.fixture
def stack(tmp_path):
    """Redis, the object store, the worker, two nodes and nginx; yields what the test talks to."""
    local_files = tmp_path / "node-local-files"
    static_root = tmp_path / "static"
    # Everything that needs no static files starts first and boots while they are collected.
    redis, store = servers.start_redis(tmp_path), servers.start_object_store(tmp_path)
    state = {"redis": redis, "local": local_files}
    try:
        redis_url = f"redis://127.0.0.1:{redis.port}"
        env = production_env(
            STATIC_ROOT=str(static_root),
            PRIVATE_FILES_ROOT=str(local_files),
            CACHE_URL=f"{redis_url}/0",
            CELERY_BROKER_URL=f"{redis_url}/1",
            CELERY_RESULT_BACKEND=f"{redis_url}/1",
            AWS_STORAGE_BUCKET_NAME=servers.BUCKET,
            AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{store.port}",
            **servers.S3_KEYS,
        )
        state["worker"] = servers.start_worker(tmp_path, env)
        collect_static(static_root)
        servers.wait_for_port(redis)
        state["endpoint"] = servers.create_bucket(store)
        with cluster(env=env, nodes=2, workers=1) as web:
            state["web"] = web
            yield state
    finally:
        # The Redis started again by the test, if it was.
        stop_all([server for server in (state.get("worker"), store, state["redis"]) if server])


def _due(browser: Browser, port: int) -> str:
    query = "?start=2026-05-29&days=1&kind=working"  # Friday + 1 working day
    response = browser.get(port, reverse("core:deadline_calculator") + query)
    assert response.status_code == 200
    return DUE.search(response.text).group(1)


def test_two_nodes_behind_nginx_share_files_cache_sessions_and_calendar(office, supervisor, administrator, stack):
    case, quarterly_list = office
    web, endpoint = stack["web"], stack["endpoint"]
    node1, node2 = (node.port for node in web.nodes)
    person = Browser()
    person.sign_in(web.port, supervisor)

    # The session made through nginx is valid on each node.
    for port in (node1, node2, web.port):
        assert 'data-testid="user-menu"' in person.get(port, reverse("home")).text

    # An attachment uploaded through node 1 ...
    content = b"%PDF-1.4 evidence from node one " * 40
    detail = reverse("complaints:case_detail", args=[case.pk])
    response = person.submit(
        node1,
        detail,
        reverse("complaints:attachment_upload", args=[case.pk]),
        {"kind": "evidence", "description": "核查"},
        files={"file": ("银行流水.pdf", content, "application/pdf")},
    )
    assert "附件已上传" in response.text
    attachment = Attachment.objects.get(case=case)
    assert attachment.file.name in servers.bucket_keys(endpoint)
    # ... downloads through node 2 whole, and the download is logged.
    response = person.get(node2, reverse("complaints:attachment_download", args=[case.pk, attachment.pk]))
    assert response.status_code == 200 and hashlib.sha256(response.content).hexdigest() == attachment.sha256
    assert response.content == content
    entry = AuditEntry.objects.get(action="complaints.attachment.downloaded")
    assert entry.actor == supervisor and entry.object_id == attachment.pk

    # The list's PDF, asked for through node 1 and built by the worker, is served by either node.
    list_page = reverse("institutions:list_detail", args=[quarterly_list.pk])
    response = person.submit(node1, list_page, reverse("institutions:list_generate", args=[quarterly_list.pk]), {})
    assert "已开始生成PDF和Excel文件" in response.text
    servers.wait_until(
        lambda: QuarterlyList.objects.get(pk=quarterly_list.pk).pdf_sha256,
        timeout=60,
        what="the worker to build the list's files",
        logs=[stack["worker"].log],
    )
    quarterly_list.refresh_from_db()
    assert BackgroundJob.objects.get().state == BackgroundJob.State.DONE
    assert quarterly_list.pdf_file.name in servers.bucket_keys(endpoint)
    download = reverse("institutions:list_download", args=[quarterly_list.pk, "pdf"])
    served = [person.get(port, download) for port in (node1, node2)]
    assert [r.status_code for r in served] == [200, 200] and served[0].content == served[1].content
    assert hashlib.sha256(served[1].content).hexdigest() == quarterly_list.pdf_sha256
    assert "国家金融监督管理总局莱州监管支局" in PrintedPdf(served[1].content, stack["local"].parent).text

    # A calendar correction made through node 1 shows on node 2 at once (node 2 has the old calendar loaded).
    assert _due(person, node2) == "2026-06-01"
    admin = Browser()
    admin.sign_in(web.port, administrator)
    day = WorkCalendarDay.objects.get(date="2026-06-01")
    correct = reverse("admin:core_workcalendarday_correct", args=[day.pk])
    fields = {"is_working_day": "", "kind": "holiday", "note": "两节点验证", "source_notice": "国办发明电示例"}
    response = admin.submit(node1, correct, correct, {**fields, "_confirm": "1"})
    assert "已重新计算" in response.text
    assert _due(person, node2) == "2026-06-02" and _due(person, node1) == "2026-06-02"

    # /readyz: 503 on every node while Redis (cache and broker) is stopped, 200 again once it is back.
    assert [servers.ready_status(port) for port in (node1, node2, web.port)] == [200, 200, 200]
    redis = stack["redis"]
    redis.stop()
    assert [servers.ready_status(port) for port in (node1, node2)] == [503, 503]
    stack["redis"] = servers.start_redis(redis.log.parent, port=redis.port)
    servers.wait_for_port(stack["redis"])
    servers.wait_until(
        lambda: [servers.ready_status(port) for port in (node1, node2)] == [200, 200],
        timeout=20,
        what="the nodes to be ready again",
    )

    # Nothing was written to a node's (or the worker's) local disk: every file is in the bucket.
    assert not stack["local"].exists() or [p for p in stack["local"].rglob("*") if p.is_file()] == []
