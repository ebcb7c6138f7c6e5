"""The over-HTTP phase of `python manage.py bench`: real gunicorn, real sockets, a bounded load from wrk.

The in-process measurements time one request at a time inside the bench process. This phase starts the app
as it runs in production — gunicorn with sync workers, DEBUG off, WhiteNoise, a SECRET_KEY — on 127.0.0.1,
logs the demo accounts in by creating their sessions directly in the database, and loads each page with wrk
(Debian's package; C, one thread, so it takes little of the two cores from the server) at a fixed number of
connections for a fixed time. wrk_report.lua counts every response that is not 2xx; any such response, or any
socket error, fails the run.

The pages are loaded in rounds (`--http-rounds`, default 3): each round loads every page in turn, and a page's
figures are those of its median round by rate (docs/performance.md「第十轮」). On a shared virtual machine the same
page swings by 10-30 % between runs a few minutes apart; one long run per page let a slow spell fall on one page.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess  # nosec B404 # starts gunicorn and wrk for the HTTP bench, fixed argument lists
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from .clients import HttpsClient
from .floor import FLOOR_FACTOR, Floor, measure_floor
from .http_targets import CLERK, HTTP_TARGETS, SUPERVISOR, HttpTarget  # noqa: F401 (the targets)

LUA_SCRIPT = Path(__file__).with_name("wrk_report.lua")
# The backend a password login records in the session (laizhou_xiaobao/settings.py AUTHENTICATION_BACKENDS).
SESSION_BACKEND = "core.security.backends.SessionUserBackend"
# What a TLS-terminating proxy in front of gunicorn adds; without it the production settings redirect to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class HttpResult:
    name: str
    title: str
    path: str
    user: str
    seconds: float
    requests: int
    rps: float
    median_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int  # connect, read, write and timeout errors
    non_2xx: int
    target: str = ""
    met: bool | None = None  # None when the target names no number
    met_by: str = ""  # which of the two ways the target was met (floor.py)
    # The bare-SQL floor measured in-process just before the load (floor.py); None for the baselines.
    page_ms: float | None = None
    sql_ms: float | None = None
    floor_ratio: float | None = None
    plan: str = ""  # EXPLAIN ANALYZE of the page's slowest read
    rounds: list[float] = field(default_factory=list)  # the rate of each round, in order (`median_round`)

    @property
    def errors(self) -> int:
        return self.socket_errors + self.non_2xx


# --- The pieces: a database URL, static files, sessions, the server, the load ------------------------------


def database_url() -> str:
    """A DATABASE_URL for the database this process uses (under pytest: the test database)."""
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(conf['NAME']).resolve()}"
    if connection.vendor != "postgresql":
        raise CommandError(f"HTTP 压测只支持 PostgreSQL 和 SQLite，当前是 {connection.vendor}")
    user = quote(conf.get("USER") or "", safe="")
    password = f":{quote(conf['PASSWORD'], safe='')}" if conf.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = conf.get("HOST") or "127.0.0.1"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(conf['NAME'], safe='')}"


def collect_static(root: Path) -> None:
    """The static tree the production settings need (a manifest of hashed names), collected into `root`.

    Collected without WhiteNoise's gzip/brotli copies: the load fetches pages, not static files, and compressing
    the ~4,500 files takes over a minute on this machine against a few seconds without."""
    from django.contrib.staticfiles.management.commands.collectstatic import Command
    from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
    from django.core.management import call_command

    command = Command()
    command.storage = ManifestStaticFilesStorage(location=str(root))
    call_command(command, interactive=False, verbosity=0)


@contextmanager
def login_sessions(usernames):
    """A database session for each demo account, as a login would leave it; deleted afterwards."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from core.models import User

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    stores = {}
    try:
        for username in usernames:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"演示账号 {username} 不存在或已停用：请先运行 seed_demo")
            store = store_class()
            store[SESSION_KEY] = user._meta.pk.value_to_string(user)
            store[BACKEND_SESSION_KEY] = SESSION_BACKEND
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            as_after_every_login_step(store, user)
            store.create()
            stores[username] = store
        yield {username: store.session_key for username, store in stores.items()}
    finally:
        for store in stores.values():
            store.delete()


def as_after_every_login_step(store, user) -> None:
    """What the login page leaves once the password, the second factor and any pending step are done
    (core/security): the authenticator verified where the account has one, nothing pending, active now."""
    import time

    import django_otp

    from core.security import services

    device = services.confirmed_totp(user)
    if device is not None:
        store[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[services.PENDING_KEY] = ""
    store[services.SEEN_KEY] = store[services.STARTED_KEY] = int(time.time())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextmanager
def gunicorn(*, workers: int, static_root: Path, log: Path, ready_timeout: float = 90):
    """gunicorn with production settings on a free port of 127.0.0.1; yields the port, stops it on exit."""
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        # The sessions were signed with this process's key and the personal data encrypted with its keys, so the
        # server shares them (a production start refuses the development keys: `make bench` generates its own).
        "SECRET_KEY": settings.SECRET_KEY,
        "PERSONAL_DATA_KEYS": ",".join(settings.PERSONAL_DATA_KEYS),
        "PERSONAL_DATA_HASH_KEY": settings.PERSONAL_DATA_HASH_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url(),
    }
    command = [
        sys.executable, "-m", "gunicorn", "laizhou_xiaobao.bench.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120", "--graceful-timeout", "20",
        # gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): several servers on one machine
        # would take it from each other, and the nodes write nothing outside their own folders.
        "--no-control-socket",
    ]  # fmt: skip
    with open(log, "wb") as log_file:
        process = subprocess.Popen(  # nosec B603 # our own gunicorn command, no shell
            command, cwd=settings.BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if process.poll() is not None:
                raise CommandError(f"gunicorn 启动失败（退出码 {process.returncode}）：\n{_tail(log)}")
            try:
                if get(port, reverse("login"), PROXY_HEADERS) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"gunicorn 在 {ready_timeout:g} 秒内未就绪：\n{_tail(log)}")
            time.sleep(0.3)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # graceful: workers finish their request and exit
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_wrk(url: str, *, seconds: int, connections: int, headers: dict) -> dict:
    """One wrk run; returns the figures printed by wrk_report.lua."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise CommandError("缺少 wrk：请先执行 make sysdeps（或 apt-get install wrk）")
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA_SCRIPT)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    completed = subprocess.run(  # nosec B603 # wrk by its full path, no shell
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False, stdin=subprocess.DEVNULL
    )
    for line in completed.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line.removeprefix("WRK_JSON "))
    raise CommandError(f"wrk 没有给出结果（退出码 {completed.returncode}）：{completed.stderr or completed.stdout}")


def result_from(target: HttpTarget, path: str, stats: dict, floor: Floor | None = None) -> HttpResult:
    seconds = stats["duration_us"] / 1e6
    result = HttpResult(
        name=target.name,
        title=target.title,
        path=path,
        user=target.user or "匿名",
        seconds=seconds,
        requests=stats["requests"],
        rps=stats["requests"] / seconds if seconds else 0.0,
        median_ms=stats["p50_us"] / 1000,
        p95_ms=stats["p95_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        max_ms=stats["max_us"] / 1000,
        socket_errors=stats["connect"] + stats["read"] + stats["write"] + stats["timeout"],
        non_2xx=stats["non2xx"],
        target=target.target,
    )
    if target.min_rps is not None or target.max_p99_ms is not None:
        result.met = (target.min_rps is None or result.rps >= target.min_rps) and (
            target.max_p99_ms is None or result.p99_ms <= target.max_p99_ms
        )
        result.met_by = "HTTP" if result.met else ""
    if floor is not None:
        result.page_ms, result.sql_ms, result.floor_ratio = floor.page_ms, floor.sql_ms, floor.ratio
        result.plan = floor.plan
        if not result.met and floor.met:
            result.met, result.met_by = True, f"≤ {FLOOR_FACTOR:g}× 裸SQL"
    return result


# --- The phase --------------------------------------------------------------------------------------------


def load_target(
    target: HttpTarget,
    path: str,
    *,
    port: int,
    cookie: str | None,
    log: Path,
    options: dict,
    stdout,
    floor=None,
    warmup: bool = True,
):
    headers = dict(PROXY_HEADERS)
    if cookie:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    status = get(port, path, headers)
    if status != 200:
        raise CommandError(f"{target.title}（{path}，{target.user or '匿名'}）返回 {status}，应为 200：\n{_tail(log)}")
    url = f"http://127.0.0.1:{port}{path}"
    stdout.write(f"HTTP 压测：{target.title} …")
    load = {"connections": options["http_connections"], "headers": headers}
    if warmup and options["http_warmup"]:
        run_wrk(url, seconds=options["http_warmup"], **load)
    result = result_from(target, path, run_wrk(url, seconds=options["http_seconds"], **load), floor)
    stdout.write(
        f"  {result.rps:.1f} 次/秒，中位数 {result.median_ms:.1f} ms，p95 {result.p95_ms:.1f} ms，"
        f"p99 {result.p99_ms:.1f} ms，{result.requests} 次请求，错误 {result.errors}"
        + (
            ""
            if floor is None
            else f"；进程内 {floor.page_ms:.1f} ms，裸SQL {floor.sql_ms:.1f} ms，{floor.ratio:.2f} 倍"
        )
        + ("" if result.met is None else (f"，达标（{result.met_by}）" if result.met else "，未达标"))
    )
    return result


def _selected(names: list[str] | None) -> list[HttpTarget]:
    return [HTTP_TARGETS[n] for n in names] if names else list(HTTP_TARGETS.values())


def measure_floors(names: list[str] | None, stdout) -> dict:
    """The selected pages' bare-SQL floors (floor.py), each signed in as the load will be. The command measures
    them first, before the in-process measurements: the background jobs measured there (a bundle, 100,000-row
    exports) leave the process slower, and the floor sets the page beside its own SQL at the same moment."""
    selected = _selected(names)
    with login_sessions(sorted({t.user for t in selected if t.floor})) as sessions:
        paths = {t.name: t.path() for t in selected if t.floor}
        return page_floors(selected, paths, sessions, stdout)


def median_round(runs: list[HttpResult]) -> HttpResult:
    """One page's rounds as one result: the round of median rate (of an even number, the slower of the two middle
    ones), with its own latencies and verdict, the rate of every round, and the errors of all rounds."""
    chosen = sorted(runs, key=lambda run: run.rps)[(len(runs) - 1) // 2]
    return replace(
        chosen,
        rounds=[run.rps for run in runs],
        socket_errors=sum(run.socket_errors for run in runs),
        non_2xx=sum(run.non_2xx for run in runs),
    )


def load_in_rounds(
    selected: list[HttpTarget], paths: dict, sessions: dict, *, port: int, log: Path, options: dict, stdout,
    floors: dict | None = None, label: str = "HTTP",
) -> list[HttpResult]:  # fmt: skip
    """Every target once a round for `--http-rounds` rounds against the server at `port`, warmed up in the first
    round only; each target's result is its median round (`median_round`). The single node and the two nodes are
    loaded alike, so that their side-by-side table compares like with like."""
    rounds, floors = options.get("http_rounds", 1), floors or {}
    runs: dict[str, list[HttpResult]] = {t.name: [] for t in selected}
    for number in range(1, rounds + 1):
        if rounds > 1:
            stdout.write(f"{label}：第 {number}/{rounds} 轮")
        for t in selected:
            run = load_target(
                t,
                paths[t.name],
                port=port,
                cookie=sessions.get(t.user),
                log=log,
                options=options,
                stdout=stdout,
                floor=floors.get(t.name),
                warmup=number == 1,
            )
            runs[t.name].append(run)
    results = [median_round(runs[t.name]) for t in selected]
    if rounds > 1:
        for result in results:
            rates = " / ".join(f"{rate:.1f}" for rate in result.rounds)
            stdout.write(f"{label} 各轮：{result.title}：{rates} 次/秒，取中位数 {result.rps:.1f}")
    return results


def run_http(names: list[str] | None, options: dict, stdout, floors: dict | None = None) -> list[HttpResult]:
    """Load the selected targets against one gunicorn in rounds (`load_in_rounds`), each with its floor from
    `measure_floors`. Error responses are counted, not raised: the caller writes the results down first, then
    fails (`fail_on_errors`)."""
    if shutil.which("wrk") is None:
        raise CommandError("缺少 wrk：请先执行 make sysdeps（或 apt-get install wrk）")
    selected = _selected(names)
    workers = options["http_workers"]
    with login_sessions(sorted({t.user for t in selected if t.user})) as sessions:
        paths = {t.name: t.path() for t in selected}
        with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
            stdout.write("HTTP：收集静态文件 …")
            static_root, log = Path(tmp) / "static", Path(tmp) / "gunicorn.log"
            collect_static(static_root)
            with gunicorn(workers=workers, static_root=static_root, log=log) as port:
                stdout.write(f"HTTP：gunicorn（{workers} 个 worker）已在 127.0.0.1:{port} 就绪")
                return load_in_rounds(
                    selected, paths, sessions, port=port, log=log, options=options, stdout=stdout, floors=floors
                )


def page_floors(selected: list[HttpTarget], paths: dict, sessions: dict, stdout) -> dict:
    """Each page's bare-SQL floor, in this process (floor.py), signed in with `sessions`; the baselines have
    none."""
    floors = {}
    for target in selected:
        if target.floor:
            stdout.write(f"裸SQL下限：{target.title} …")
            client = HttpsClient()
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[target.user]
            floors[target.name] = measure_floor(client, paths[target.name])
    return floors


def fail_on_errors(results: list[HttpResult]) -> None:
    failed = [r for r in results if r.errors]
    if failed:
        details = "；".join(f"{r.title}：{r.non_2xx} 个非 2xx 响应，{r.socket_errors} 个套接字错误" for r in failed)
        raise CommandError(f"HTTP 压测出现错误：{details}")


def describe(options: dict) -> str:
    conn_max_age = settings.DATABASES["default"].get("CONN_MAX_AGE", 0)
    return (
        f"gunicorn {options['http_workers']} 个同步 worker（DEBUG=false，WhiteNoise，127.0.0.1，"
        f"DATABASE_CONN_MAX_AGE={conn_max_age}，请求带 X-Forwarded-Proto: https 如经反向代理），"
        f"wrk 1 线程 {options['http_connections']} 个连接；每项先预热 {options['http_warmup']} 秒（只在第一轮），"
        f"再压测 {options['http_seconds']} 秒；共 {options.get('http_rounds', 1)} 轮，每轮各页轮流一次，"
        "表中是每页次/秒居中的那一轮（“各轮”列是每一轮的次/秒）。非 2xx 响应和套接字错误（各轮合计）都计为错误。"
    )
