"""The nginx configurations shipped in laizhou_xiaobao/deploy/ are valid for Debian's nginx (`nginx -t`), with a
throw-away certificate and the test's own folder standing in for the machine's paths."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from laizhou_xiaobao.bench.cluster import nginx_config

DEPLOY = Path(__file__).resolve().parents[2] / "laizhou_xiaobao" / "deploy"


def write_certificate(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xiaobao.example.gov.cn")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def nginx_test(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    """`nginx -t` of a main configuration (as the bench's, in tmp_path) whose http block includes `site`."""
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    main = nginx_config(port=8080, upstreams=[8001], folder=tmp_path)
    # The bench's own server block is replaced by the shipped site (and its upstream by the site's).
    http_head = main[: main.index("    upstream xiaobao")]
    (tmp_path / "nginx.conf").write_text(http_head + f"    include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "err.log")]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("file_name", "replacements"),
    [
        ("nginx-xiaobao.conf", {"/etc/ssl/xiaobao/": "{tls}/", "/var/log/nginx/": "{tmp}/"}),
        (
            "nginx-compose.conf",
            {"/etc/nginx/tls/": "{tls}/", "web:8000": "127.0.0.1:8001", "web2:8000": "127.0.0.1:8002"},
        ),
    ],
)
def test_shipped_nginx_configuration_is_valid(tmp_path, file_name, replacements):
    tls = tmp_path / "tls"
    tls.mkdir()
    write_certificate(tls)
    site = (DEPLOY / file_name).read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new.format(tls=tls, tmp=tmp_path))
    checked = nginx_test(tmp_path, site)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_shipped_configuration_never_publishes_readyz_and_sets_the_forwarded_scheme():
    for file_name in ("nginx-xiaobao.conf", "nginx-compose.conf"):
        site = (DEPLOY / file_name).read_text(encoding="utf-8")
        assert "location = /readyz {\n        return 404;" in site
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
        assert "client_max_body_size 25m;" in site
