"""Static files under content-hashed names, cached for a year; an old or made-up name is a 404."""

import re

from app.assets import digest


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
