"""The services of the two-node proof, each started on a free port of 127.0.0.1 in the test's own folder: a Redis of
its own (stopped and started again by the test: never the machine's Redis), an S3-compatible object store (moto in
server mode) and a Celery worker."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import boto3

from laizhou_xiaobao.bench.cluster import Process, free_port, status_of, tail

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "xiaobao-files"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "nodes-test", "AWS_SECRET_ACCESS_KEY": "nodes-test-secret"}


def _start(name: str, command: list[str], port: int, log: Path, env: dict | None = None) -> Process:
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=ROOT
        )
    return Process(name, process, port, log)


def wait_for_port(server: Process, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"{server.name} exited:\n{tail(server.log)}"
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{server.name} did not listen within {timeout:g} s:\n{tail(server.log)}")


def start_redis(folder: Path, port: int | None = None) -> Process:
    """A redis-server of the test's own (no persistence); `port` to start it again where it was. Not waited for:
    `wait_for_port`."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: apt-get install redis-server (.ci/sysdeps.sh)"
    port = port or free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    return _start("redis", [*command, "--dir", str(folder)], port, folder / "redis.log")


def start_object_store(folder: Path) -> Process:
    """moto's S3 server; not waited for: `create_bucket` once it listens."""
    binary = Path(sys.executable).with_name("moto_server")
    assert binary.exists(), "moto_server is missing: pip install -r requirements-dev.txt"
    port = free_port()
    return _start("moto", [str(binary), "-H", "127.0.0.1", "-p", str(port)], port, folder / "moto.log")


def create_bucket(store: Process) -> str:
    """The one empty private bucket of the files; returns the store's endpoint URL."""
    wait_for_port(store)
    endpoint = f"http://127.0.0.1:{store.port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    return endpoint


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )


def use_bucket(settings, endpoint: str, folder: str) -> None:
    """In-process tests: the default storage is the bucket, under `folder` (AWS_LOCATION), as a deployment with MinIO
    has it (the options laizhou_xiaobao/settings.py builds from AWS_STORAGE_BUCKET_NAME)."""
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": S3_KEYS["AWS_ACCESS_KEY_ID"],
        "secret_key": S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        "location": folder,
        "addressing_style": "path",
        "default_acl": None,
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }


def bucket_keys(endpoint: str) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def start_worker(folder: Path, env: dict) -> Process:
    """A Celery worker with the nodes' settings (one process, solo pool)."""
    command = [
        sys.executable, "-m", "celery", "-A", "laizhou_xiaobao", "worker", "--pool=solo", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname=nodes-test@%h",
    ]  # fmt: skip
    return _start("worker", command, 0, folder / "worker.log", env=env)


def wait_until(condition, *, timeout: float, what: str, logs: list[Path] = ()) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}:\n" + "\n".join(tail(log) for log in logs))


def ready_status(port: int) -> int:
    return status_of(port, "/readyz")
