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

from laizhou_xiaobao.bench.http import HTTP_TARGETS, HttpTarget, fail_on_errors, result_from, run_wrk


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
        assert 0 < row["median_ms"] <= row["p95_ms"] <= row["p99_ms"] <= row["max_ms"], row
        assert (row["errors"], row["non_2xx"], row["socket_errors"]) == (0, 0, 0), row
    ledger = next(row for row in rows if row["name"] == "http_ledger_first_page")
    assert ledger["user"] == "lz_clerk_a"
    assert ledger["target"] == "≥ 100 次/秒，p99 ≤ 150 ms"
    assert ledger["met"] in (True, False)

    markdown = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "## HTTP（gunicorn 2 workers，8 连接）" in markdown
    assert f"| 台账首页（50件） | lz_clerk_a | {ledger['requests']:,} | {ledger['rps']:.1f} |" in markdown

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
