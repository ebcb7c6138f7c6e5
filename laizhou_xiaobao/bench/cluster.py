"""Web nodes behind nginx on this machine (docs/operations.md「多台服务器」): the bench's two-node run and the
two-node proof test (tests/nodes/) start them through here.

Each node is a gunicorn with production settings on its own free port of 127.0.0.1; nginx (Debian's package,
started as an ordinary user with its configuration, pid file, logs and temporary files in one folder of its own)
listens on a third port and spreads the requests round robin over the nodes, as the shipped
laizhou_xiaobao/deploy/nginx-xiaobao.conf does in production. nginx adds `X-Forwarded-Proto: https`, as the
TLS-terminating front would: the production settings then neither redirect nor refuse the secure cookies.
"""

from __future__ import annotations

import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess  # nosec B404 # starts gunicorn and nginx, fixed argument lists, no shell
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

HEALTH_PATH = "/healthz"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(port: int, path: str, headers: dict | None = None, timeout: float = 10) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass
class Process:
    """A started server: its process, the port it answers on and its log."""

    name: str
    process: subprocess.Popen
    port: int
    log: Path

    def wait_until_answering(self, timeout: float = 90, path: str = HEALTH_PATH) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise CommandError(f"{self.name} 启动失败（退出码 {self.process.returncode}）：\n{tail(self.log)}")
            try:
                if status_of(self.port, path, timeout=5) == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"{self.name} 在 {timeout:g} 秒内未就绪：\n{tail(self.log)}")
            time.sleep(0.2)

    def stop(self) -> None:
        stop_all([self])


def stop_all(servers: list[Process], timeout: float = 30) -> None:
    """Ask every server to stop at once (SIGTERM: requests in flight finish), then wait; kill what lingers."""
    running = [server for server in servers if server.process.poll() is None]
    for server in running:
        server.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for server in running:
        try:
            server.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def start_gunicorn(*, name: str, env: dict, workers: int, log: Path) -> Process:
    """gunicorn with `env` (the caller's production-like settings) on a free port; not yet waited for."""
    port = free_port()
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
    return Process(name, process, port, log)


def nginx_config(*, port: int, upstreams: list[int], folder: Path) -> str:
    """A whole nginx.conf for an unprivileged nginx: everything it writes stays in `folder`."""
    servers = "\n".join(f"        server 127.0.0.1:{upstream} max_fails=0;" for upstream in upstreams)
    return f"""\
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{
    worker_connections 512;
}}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 25m;
    upstream xiaobao {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://xiaobao;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout 120s;
            proxy_request_buffering off;
        }}
    }}
}}
"""


def _unprivileged() -> dict:
    """Popen arguments that run nginx as `nobody` when this process is root (CI): never a root nginx."""
    if os.geteuid() != 0:
        return {}
    nobody = pwd.getpwnam("nobody")
    return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}


def start_nginx(*, upstreams: list[int], folder: Path) -> Process:
    """nginx on a free port in front of `upstreams`; not yet waited for. `folder` must be empty or new."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(binary):
        raise CommandError("缺少 nginx：请先执行 make sysdeps（或 apt-get install nginx）")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(port=port, upstreams=upstreams, folder=folder), encoding="utf-8")
    options = _unprivileged()
    if options:
        folder.chmod(0o755)
        os.chown(folder, options["user"], options["group"])
        os.chown(conf, options["user"], options["group"])
    log = folder / "error.log"
    command = [binary, "-p", str(folder), "-c", str(conf), "-e", str(log)]
    process = subprocess.Popen(  # nosec B603 # nginx by its full path with our own configuration, no shell
        command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **options
    )
    return Process("nginx", process, port, log)


def production_env(**extra) -> dict:
    """The environment of a production-like node sharing this process's database, keys and services."""
    from laizhou_xiaobao.bench.http import database_url

    return {
        **os.environ,
        "DEBUG": "false",
        # Sessions and encrypted personal data must be readable by every node and by this process.
        "SECRET_KEY": settings.SECRET_KEY,
        "PERSONAL_DATA_KEYS": ",".join(settings.PERSONAL_DATA_KEYS),
        "PERSONAL_DATA_HASH_KEY": settings.PERSONAL_DATA_HASH_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        **extra,
    }


@dataclass
class Cluster:
    nodes: list[Process]
    nginx: Process
    folder: Path

    @property
    def port(self) -> int:
        return self.nginx.port


@contextmanager
def cluster(*, env: dict, nodes: int = 2, workers: int = 2, folder: Path | None = None) -> Iterator[Cluster]:
    """`nodes` gunicorns with `env` behind one nginx, all started at once; stopped (nginx first) on exit."""
    with ExitStack() as stack:
        if folder is None:
            # Not under a private temporary folder: an unprivileged nginx must reach its own folder.
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="xiaobao-cluster-")))
            folder.chmod(0o755)
        started: list[Process] = []
        # Stopped together (nginx first in the list, so it takes no new requests), not one after another.
        stack.callback(lambda: stop_all(started[::-1]))
        for number in range(1, nodes + 1):
            started.append(
                start_gunicorn(name=f"node{number}", env=env, workers=workers, log=folder / f"node{number}.log")
            )
        proxy = start_nginx(upstreams=[node.port for node in started], folder=folder / "nginx")
        started.append(proxy)
        for server in started:
            server.wait_until_answering()
        yield Cluster(started[:-1], proxy, folder)


# --- The bench's two-node run ------------------------------------------------------------------------------


def run_cluster_http(names: list[str] | None, options: dict, stdout) -> list:
    """The HTTP targets again, through nginx over two nodes of `--http-workers` workers each (the same database,
    the same wrk load in the same rounds, `load_in_rounds`), for the side-by-side table of the report
    (docs/performance.md)."""
    from laizhou_xiaobao.bench.http import HTTP_TARGETS, collect_static, load_in_rounds, login_sessions

    selected = [HTTP_TARGETS[n] for n in names] if names else list(HTTP_TARGETS.values())
    workers = options["http_workers"]
    with login_sessions(sorted({t.user for t in selected if t.user})) as sessions:
        paths = {t.name: t.path() for t in selected}
        with tempfile.TemporaryDirectory(prefix="bench-cluster-static-") as tmp:
            stdout.write("HTTP（两节点）：收集静态文件 …")
            static_root = Path(tmp) / "static"
            collect_static(static_root)
            with cluster(env=production_env(STATIC_ROOT=str(static_root)), nodes=2, workers=workers) as web:
                stdout.write(f"HTTP（两节点）：2 × {workers} 个 worker，nginx 已在 127.0.0.1:{web.port} 就绪")
                return load_in_rounds(
                    selected,
                    paths,
                    sessions,
                    port=web.port,
                    log=web.nodes[0].log,
                    options=options,
                    stdout=stdout,
                    label="HTTP（两节点）",
                )


def describe_cluster(options: dict) -> str:
    shared = "共用 CACHE_URL 的 Redis 缓存" if settings.CACHE_URL else "未设置 CACHE_URL（各进程自有缓存）"
    return (
        f"同一数据库上的两个 gunicorn 节点，各 {options['http_workers']} 个同步 worker，前面一个 nginx 轮询分发"
        f"（laizhou_xiaobao/bench/cluster.py，与单节点相同的 wrk 负载和轮数，同样取居中的一轮），{shared}。"
        "在同一台机器上运行：两个节点分的是同样的 CPU，倍数说明的是分发和共享状态的开销，不是加一台机器的收益。"
    )
