"""Static files: fingerprinted URLs a browser keeps for a year, no per-visitor caching."""

import os
import re

from netapp.assets import YEAR, fingerprint
from tests import factories as f


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_a_page_names_its_assets_by_fingerprint_and_browsers_keep_them(app, login_as):
    client = login_as(f.user())
    assets = _assets(client.get("/home").text)
    assert {re.sub(r"\?.*", "", a) for a in assets} >= {
        "/static/css/app.css", "/static/js/app.js", "/static/vendor/htmx-2.0.11.min.js"}
    for asset in assets:
        assert re.search(r"\?v=[0-9a-f]{12}$", asset), asset
        response = client.get(asset)
        response.close()  # a file streamed from disk
        assert response.status_code == 200
        assert response.cache_control.max_age == YEAR and response.cache_control.immutable
        assert "Cookie" not in response.vary  # one copy for everyone, logged in or not
        assert "Set-Cookie" not in response.headers


def test_a_page_from_before_a_change_revalidates_instead(client):
    response = client.get("/static/css/app.css?v=000000000000")
    response.close()
    assert response.status_code == 200
    assert response.cache_control.no_cache and not response.cache_control.max_age
    etag = {"If-None-Match": response.headers["ETag"]}
    with client.get("/static/css/app.css", headers=etag) as again:
        assert again.status_code == 304


def test_logged_in_pages_still_vary_by_cookie_and_are_not_stored(app, login_as):
    response = login_as(f.user()).get("/home")
    assert "Cookie" in response.vary and response.headers["Cache-Control"] == "no-store"


def test_the_fingerprint_follows_the_file_content(tmp_path):
    (tmp_path / "app.css").write_text("body { color: black }")
    first = fingerprint(str(tmp_path), "app.css")
    os.utime(tmp_path / "app.css", ns=(1, 1))
    (tmp_path / "app.css").write_text("body { color: navy }")
    assert first and fingerprint(str(tmp_path), "app.css") not in (None, first)
    assert fingerprint(str(tmp_path), "missing.css") is None
