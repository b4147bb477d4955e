"""deploy/nginx/parentpass.conf, run for real in front of the app: pages compressed on the way
out, hashed static files from disk (pre-compressed, cached for a year, earlier builds kept), the
app's own 413 page for big bodies, http → https, and no password-link secret in the access log.

Needs nginx (`.ci/run` installs Debian's nginx-light); skipped without it unless REQUIRE_NGINX=1.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from app.web.assets import build, digest

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "parentpass.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site_for_test(folder: Path, upstream_port: int, http_port: int, https_port: int) -> str:
    """The shipped site file with only its EDIT lines pointed at this test's folder and ports."""
    site = SITE.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/parentpass/fullchain.pem": str(folder / "cert.pem"),
        "/etc/ssl/parentpass/privkey.pem": str(folder / "key.pem"),
        "/srv/parentpass/public": str(folder / "public"),
        "/var/log/nginx/parentpass.access.log": str(folder / "access.log"),
    }
    for old, new in replacements.items():
        assert old in site, f"{old!r} is no longer in {SITE.name}: update this test"
        site = site.replace(old, new)
    return site


@pytest.fixture(scope="module")
def nginx(app, live_server, tmp_path_factory):
    if not os.path.exists(NGINX):
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("nginx is not installed")
        pytest.skip("nginx is not installed")
    folder = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True,
        capture_output=True,
    )
    with app.app_context():
        build(folder / "public")
    http_port, https_port = _free_port(), _free_port()
    upstream_port = int(live_server.rsplit(":", 1)[1])
    (folder / "parentpass.conf").write_text(_site_for_test(folder, upstream_port, http_port, https_port))
    temp = "\n".join(
        f"  {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        + f"http {{\n{temp}\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        + f"  include {folder}/parentpass.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield {"folder": folder, "http": http_port, "https": https_port}
    process.terminate()
    process.wait(timeout=10)


def fetch(server, path, method="GET", body=None, headers=None, port_kind="https"):
    port = server[port_kind]
    if port_kind == "https":
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_pages_are_gzip_compressed_on_the_way_out(nginx):
    response, data = fetch(nginx, "/login", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary", "")
    page = gzip.decompress(data).decode()
    assert 'name="phone"' in page
    assert len(data) < len(page.encode()) / 2

    plain, raw = fetch(nginx, "/login")
    assert plain.getheader("Content-Encoding") is None
    assert 'name="phone"' in raw.decode()


def test_hashed_static_files_come_from_disk_compressed_and_cached_for_a_year(nginx, app):
    with app.app_context():
        name = f"/assets/css/{digest('css/app.css')}-app.css"
    response, data = fetch(nginx, name, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert data == (nginx["folder"] / "public" / name.lstrip("/")).with_suffix(".css.gz").read_bytes()
    assert "immutable" in response.getheader("Cache-Control")
    assert "max-age=31536000" in response.getheader("Cache-Control")
    assert response.getheader("Content-Type").startswith("text/css")


def test_a_file_from_an_earlier_build_is_still_served_after_a_deploy(nginx):
    """The app knows only today's digest; nginx keeps serving what an older page names."""
    old = nginx["folder"] / "public" / "assets" / "css" / "0123456789-app.css"
    old.write_text("body{color:#111}")
    response, data = fetch(nginx, "/assets/css/0123456789-app.css")
    assert response.status == 200
    assert data == b"body{color:#111}"


def test_a_name_not_on_disk_goes_to_the_app_which_refuses_it(nginx):
    response, data = fetch(nginx, "/assets/css/ffffffffff-app.css", headers={"Cookie": "pp_lang=en"})
    assert response.status == 404
    assert "immutable" not in (response.getheader("Cache-Control") or "")
    assert b"<html" in data


def test_a_big_body_gets_the_apps_own_page_in_the_readers_language(nginx):
    body = b"phone=" + b"1" * (300 * 1024)
    response, data = fetch(
        nginx,
        "/login",
        method="POST",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "pp_lang=zh_Hans"},
    )
    assert response.status == 413
    assert "<html" in data.decode() and 'lang="zh-Hans"' in data.decode()
    assert "nginx" not in data.decode()


def test_plain_http_is_sent_to_https(nginx):
    response, _ = fetch(nginx, "/learn?x=1", port_kind="http")
    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/learn?x=1"


def test_a_password_link_secret_never_reaches_the_access_log(nginx):
    secret = "Zq8vN3kPp4xW2sJ7yT5bR9mC"
    fetch(nginx, f"/password/{secret}")
    fetch(nginx, "/learn")
    log = ""
    for _ in range(50):  # nginx writes the line just after the answer has gone out
        log = (nginx["folder"] / "access.log").read_text()
        if "GET /learn " in log:
            break
        time.sleep(0.05)
    assert "/password/[secret]" in log
    assert secret not in log
    assert re.search(r'"GET /learn HTTP/1\.1" 302', log)
