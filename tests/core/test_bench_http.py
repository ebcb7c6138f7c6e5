"""The over-HTTP phase of `manage.py bench`: a real gunicorn, real wrk, the figures parsed and written down.

gunicorn runs in its own processes, so it can only see committed data: the test that starts it uses a
transactional database (a file on SQLite, the test database on PostgreSQL in CI) and passes its URL to the server."""

import contextlib
import io
import json
import secrets
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from laizhou_xiaobao.bench.floor import Floor
from laizhou_xiaobao.bench.http import (
    HTTP_TARGETS,
    HttpTarget,
    fail_on_errors,
    load_in_rounds,
    median_round,
    result_from,
    run_wrk,
)


@pytest.fixture
def production_keys(settings):
    """Keys a production start accepts (it refuses the development ones), used for the seeding and the server."""
    from cryptography.fernet import Fernet

    settings.SECRET_KEY = secrets.token_urlsafe(50)
    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    settings.PERSONAL_DATA_HASH_KEY = secrets.token_urlsafe(40)


@pytest.mark.django_db(transaction=True)
def test_http_phase_loads_every_page_through_gunicorn(live_base_data, tmp_path, production_keys):
    call_command("seed_demo", cases=60, force=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "bench",
        "--http-only",
        "--no-cluster",
        "--http-seconds",
        "1",
        "--http-warmup",
        "0",
        "--http-rounds",
        "2",
        "--out",
        str(tmp_path),
        stdout=out,
    )

    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["results"] == []  # --http-only: no in-process measurement
    rows = data["http"]["results"]
    assert [row["name"] for row in rows] == list(HTTP_TARGETS)
    for row in rows:
        assert row["requests"] > 0, row
        assert row["rps"] > 0, row
        # Two rounds, every page once in each; the figures are the slower round's (the lower median of two).
        assert len(row["rounds"]) == 2 and row["rps"] == min(row["rounds"]), row
        assert 0 < row["median_ms"] <= row["p95_ms"] <= row["p99_ms"] <= row["max_ms"], row
        assert (row["errors"], row["non_2xx"], row["socket_errors"]) == (0, 0, 0), row
    ledger = next(row for row in rows if row["name"] == "http_ledger_first_page")
    assert ledger["user"] == "lz_clerk_a"
    assert ledger["target"] == "≥ 100 次/秒，p99 ≤ 150 ms；或进程内 ≤ 1.5× 裸SQL"
    assert ledger["met"] in (True, False)
    # Every page has its bare-SQL floor measured in-process before the load; the baselines have none.
    for row in rows:
        if row["name"] in ("http_login_page", "http_deadline_tool"):
            assert (row["page_ms"], row["sql_ms"], row["plan"]) == (None, None, ""), row
        else:
            assert 0 < row["sql_ms"] < row["page_ms"], row
            assert row["floor_ratio"] == pytest.approx(row["page_ms"] / row["sql_ms"]), row
            assert bool(row["plan"]) is (connection.vendor == "postgresql"), row

    markdown = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "## HTTP（gunicorn 2 workers，8 连接）" in markdown
    table = [line for line in markdown.splitlines() if line.startswith("|")]  # the separator rows too
    assert len({line.count("|") for line in table}) == 1, "every row of the tables has as many cells as the header"
    rounds = " / ".join(f"{rate:.1f}" for rate in ledger["rounds"])
    assert f"| 台账首页（50件） | lz_clerk_a | {ledger['requests']:,} | {ledger['rps']:.1f} | {rounds} |" in markdown
    assert out.getvalue().count("HTTP 压测：台账首页（50件） …") == 2
    assert "HTTP：第 2/2 轮" in out.getvalue()

    # The server is gone and the benchmark's login sessions with it.
    port = int(out.getvalue().split("127.0.0.1:")[1].split(" ")[0])
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    assert not Session.objects.exists()


# Refused before any server starts, so nothing needs to be committed for another process to see.
@pytest.mark.django_db
def test_http_phase_without_demo_accounts_says_to_seed_first(base_data, tmp_path):
    with pytest.raises(CommandError, match="演示账号 lz_clerk_a 不存在或已停用：请先运行 seed_demo"):
        call_command("bench", "--http-only", "--out", str(tmp_path), stdout=io.StringIO())
    assert not Session.objects.exists()


class _Redirecting(BaseHTTPRequestHandler):
    """200 on /ok; everything else redirects to the login page, as an expired session would."""

    def do_GET(self):  # noqa: N802 - the http.server API
        self.send_response(200 if self.path == "/ok" else 302)
        if self.path != "/ok":
            self.send_header("Location", "/accounts/login/")
        self.send_header("Content-Length", "2")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # wrk hangs up when its time is up
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def tiny_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_wrk_counts_redirects_as_errors_and_the_run_fails(tiny_server):
    target = HttpTarget("http_x", "某页", None, lambda: "/")
    ok = run_wrk(f"{tiny_server}/ok", seconds=1, connections=2, headers={})
    redirected = run_wrk(f"{tiny_server}/ledger", seconds=1, connections=2, headers={})

    assert ok["requests"] > 0 and ok["non2xx"] == 0
    fail_on_errors([result_from(target, "/ok", ok)])  # nothing to report
    assert redirected["requests"] > 0
    assert redirected["non2xx"] == redirected["requests"]
    assert redirected["status"] == 0  # wrk's own counter only sees >= 400: the script is what catches a 302
    with pytest.raises(CommandError, match=r"某页：\d+ 个非 2xx 响应，0 个套接字错误"):
        fail_on_errors([result_from(target, "/ledger", redirected)])


class _Lines(list):
    def write(self, text):
        self.append(text)


def test_pages_take_turns_in_every_round_and_each_keeps_its_median_round(tiny_server, tmp_path):
    # What the single node and the two nodes both run (run_http, cluster.run_cluster_http): real wrk runs.
    pages = [HttpTarget("http_a", "甲页", None, lambda: "/ok"), HttpTarget("http_b", "乙页", None, lambda: "/ok")]
    options = {"http_rounds": 3, "http_seconds": 1, "http_warmup": 0, "http_connections": 2}
    lines = _Lines()
    port = int(tiny_server.rsplit(":", 1)[1])

    results = load_in_rounds(
        pages, {"http_a": "/ok", "http_b": "/ok"}, {}, port=port, log=tmp_path / "log", options=options, stdout=lines
    )
    loads = [line for line in lines if line.startswith("HTTP 压测：")]
    assert loads == ["HTTP 压测：甲页 …", "HTTP 压测：乙页 …"] * 3
    rounds = [line for line in lines if line.startswith("HTTP：第")]
    assert rounds == ["HTTP：第 1/3 轮", "HTTP：第 2/3 轮", "HTTP：第 3/3 轮"]
    for result in results:
        assert len(result.rounds) == 3 and result.rps == sorted(result.rounds)[1]
        assert result.errors == 0 and result.requests > 0


def _stats(requests: int, p99_ms: float) -> dict:
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "non2xx": 0}
    return {"duration_us": 1e6, "requests": requests, "p50_us": 1e4, "p95_us": 2e4, "p99_us": p99_ms * 1000,
            "max_us": p99_ms * 1000, **errors}  # fmt: skip


def test_a_page_meets_its_target_over_http_or_within_one_and_a_half_times_its_bare_sql():
    page = HTTP_TARGETS["http_search_4char"]
    near_floor = Floor(page_ms=29.0, sql_ms=20.0, plan="")
    far_from_floor = Floor(page_ms=31.0, sql_ms=20.0, plan="")

    fast = result_from(page, "/", _stats(120, 90.0), far_from_floor)
    assert (fast.met, fast.met_by) == (True, "HTTP")
    slow_but_near = result_from(page, "/", _stats(60, 200.0), near_floor)
    assert (slow_but_near.met, slow_but_near.met_by, slow_but_near.floor_ratio) == (True, "≤ 1.5× 裸SQL", 1.45)
    slow_and_far = result_from(page, "/", _stats(60, 200.0), far_from_floor)
    assert (slow_and_far.met, slow_and_far.met_by) == (False, "")
    p99_too_long = result_from(page, "/", _stats(120, 151.0), None)
    assert (p99_too_long.met, p99_too_long.page_ms) == (False, None)


def test_a_page_is_judged_by_its_median_round_and_every_rounds_errors_count():
    page = HTTP_TARGETS["http_search_4char"]
    slow, fast = result_from(page, "/", _stats(80, 120.0)), result_from(page, "/", _stats(130, 100.0))
    middle = result_from(page, "/", {**_stats(105, 110.0), "timeout": 2})
    slow.non_2xx = 1

    result = median_round([slow, fast, middle])
    assert (result.rps, result.p99_ms, result.met) == (105.0, 110.0, True)
    assert result.rounds == [80.0, 130.0, 105.0]
    assert (result.non_2xx, result.socket_errors, result.errors) == (1, 2, 3)
    with pytest.raises(CommandError, match="1 个非 2xx 响应，2 个套接字错误"):
        fail_on_errors([result])
    # Of two rounds, the slower: the page met its target in one round only.
    assert fast.met and not slow.met
    assert (median_round([fast, slow]).rps, median_round([fast, slow]).met) == (80.0, False)
    assert median_round([middle]).rounds == [105.0]


def test_the_number_of_rounds_is_checked_before_anything_runs(tmp_path):
    for rounds in ("0", "10"):
        with pytest.raises(CommandError, match="--http-rounds 应在 1–9 之间"):
            call_command("bench", "--http-only", "--http-rounds", rounds, "--out", str(tmp_path), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_floor_is_refused_for_a_page_that_does_not_answer_200(base_data):
    from laizhou_xiaobao.bench.clients import HttpsClient
    from laizhou_xiaobao.bench.floor import measure_floor

    with pytest.raises(CommandError, match="测量裸SQL下限时 /complaints/ 返回 302，应为 200"):
        measure_floor(HttpsClient(), "/complaints/", repeat=1)


@pytest.mark.django_db
def test_the_bench_client_sends_https_and_leaves_nothing_behind_per_request(clerk_a):
    """Django's Client.request connects a signal receiver per request, leaving a finalizer on the client while it
    lives: measured pages slowed as a run went on. The bench's client hands requests straight to the handler."""
    import weakref

    from django.urls import reverse

    from laizhou_xiaobao.bench.clients import HttpsClient

    client = HttpsClient()
    client.force_login(clerk_a)
    client.get(reverse("home"))
    before = len(weakref.finalize._registry)
    for _ in range(20):
        response = client.get(reverse("home"))
    assert response.status_code == 200 and response.wsgi_request.is_secure()
    assert clerk_a.name in response.content.decode()  # the signed-in page itself, not a redirect to the login
    assert len(weakref.finalize._registry) <= before
