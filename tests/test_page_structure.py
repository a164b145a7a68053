"""What screen readers rely on, on every page of every demo role (no browser needed):
unique ids, every label pointing at a field that exists, one h1, no empty table header."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.crawl import crawl

ROLES = ["konsulent@example.com", "tovholder@example.com", "facilitator@example.com",
         "medlem@example.com", "coach@example.com", "nettverksleder@example.com"]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.h1, self.empty_th = Counter(), [], 0, 0
        self._th: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"]] += 1
        if tag == "label" and a.get("for"):
            self.label_for.append(a["for"])
        self.h1 += tag == "h1"
        if tag == "th":
            self._th = []

    def handle_data(self, data):
        if self._th is not None:
            self._th.append(data)

    def handle_endtag(self, tag):
        if tag == "th" and self._th is not None:
            self.empty_th += not "".join(self._th).strip()
            self._th = None


@pytest.fixture
def pages(app, client):
    """Every full page each demo role reaches by following links, as {role path: html}."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    found = {}
    for email in ROLES:
        client.post("/auth/logout")
        client.post("/auth/login", data={"email": email, "password": "sparring-demo"})
        reached, _forms = crawl(client)
        found.update({f"{email.split('@')[0]} {path}": html for path, html in reached.items()
                      if html.lstrip().lower().startswith("<!doctype html>")})
    assert len(found) > 100
    return found


def test_every_page_has_unique_ids_labelled_fields_one_h1_and_named_headers(pages):
    problems = []
    for where, html in pages.items():
        page = _Page()
        page.feed(html)
        problems += [f"{where}: id {i!r} ×{n}" for i, n in page.ids.items() if n > 1]
        problems += [f"{where}: label for missing {i!r}" for i in page.label_for
                     if i not in page.ids]
        if page.h1 != 1:
            problems.append(f"{where}: {page.h1} h1")
        if page.empty_th:
            problems.append(f"{where}: {page.empty_th} empty th")
    assert problems == []
