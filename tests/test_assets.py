"""Static files under content-hashed names, cached for a year; an old or made-up name is a 404."""

import gzip
import re
from pathlib import Path

from app.web.assets import digest


def test_pages_link_the_stylesheet_under_its_digest(client):
    page = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/assets/css/[0-9a-f]{10}-app\.css)"', page).group(1)
    assert url == f"/assets/css/{digest('css/app.css')}-app.css"
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_a_wrong_digest_or_path_is_not_found(client):
    assert client.get("/assets/css/0000000000-app.css").status_code == 404
    assert client.get("/assets/css/app.css").status_code == 404
    assert client.get(f"/assets/css/{digest('css/app.css')}-missing.css").status_code == 404
    assert client.get(f"/assets/../{digest('css/app.css')}-app.css").status_code == 404


def test_build_writes_every_file_under_the_name_pages_link_with_a_gzip_copy(app, tmp_path):
    from app.web.assets import build

    old = tmp_path / "assets" / "css" / "0123456789-app.css"
    old.parent.mkdir(parents=True)
    old.write_text("kept")
    written = build(tmp_path)
    css = tmp_path / "assets" / "css" / f"{digest('css/app.css')}-app.css"
    assert css in written
    assert css.read_bytes() == (Path(app.static_folder) / "css" / "app.css").read_bytes()
    assert gzip.decompress(Path(f"{css}.gz").read_bytes()) == css.read_bytes()
    assert {p.name.split("-", 1)[1] for p in written} >= {"app.css", "listen.js", "sw.js", "verify.js"}
    assert old.read_text() == "kept"
    first = Path(f"{css}.gz").read_bytes()
    build(tmp_path)
    assert Path(f"{css}.gz").read_bytes() == first
