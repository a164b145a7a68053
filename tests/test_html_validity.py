"""Every page of the demo, as each role, is valid HTML to the Nu HTML validator (vnu).

The validator is a Java program that netapp does not ship: `make test` installs it with
tests/js's lock file (npm's vnu-jar), and the test runs where `java` is on the PATH
(NETAPP_VNU_JAR names another vnu.jar); elsewhere it skips, and on CI it fails. vnu does
not know htmx's attributes; its messages about those are left out, every other error fails
the test.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.crawl import crawl

ROLES = ["konsulent@example.com", "tovholder@example.com", "facilitator@example.com",
         "medlem@example.com", "coach@example.com", "nettverksleder@example.com"]
# htmx's own attributes and its SSE extension's (sse-connect, sse-swap, sse-close)
HTMX = re.compile(r"“(data-)?(hx|sse)-[a-z-]+”|\b(hx|sse)-[a-z-]+")


INSTALLED = Path(__file__).parent / "js/node_modules/vnu-jar/build/dist/vnu.jar"


def _vnu() -> list[str]:
    jar, java = os.environ.get("NETAPP_VNU_JAR", str(INSTALLED)), shutil.which("java")
    if not (java and Path(jar).is_file()):
        reason = "the Nu validator needs java and vnu.jar (make test installs it with npm)"
        if os.environ.get("NETAPP_REQUIRE_BROWSER") == "true":
            pytest.fail(f"CI requires it: {reason}")
        pytest.skip(reason)
    return [java, "-jar", jar, "--format", "json", "--exit-zero-always"]


def _page_of(url: str) -> str:
    """Which role and page a file vnu names holds (its first line says)."""
    file = Path(url.removeprefix("file:"))
    first = file.read_text().split("\n", 1)[0]
    return f"{file.name.split('-')[0]} {first.removeprefix('<!-- ').removesuffix(' -->')}"


def test_every_page_of_every_role_is_valid_html(app, client, tmp_path):
    command = _vnu()
    app.test_cli_runner().invoke(args=["seed-demo"])
    files = []
    for email in ROLES:
        client.post("/auth/logout")
        client.post("/auth/login", data={"email": email, "password": "sparring-demo"})
        pages, _forms = crawl(client)
        for n, (path, html) in enumerate(sorted(pages.items())):
            if html.lstrip().lower().startswith("<!doctype html>"):  # pages, not fragments
                file = tmp_path / f"{email.split('@')[0]}-{n:03d}.html"
                file.write_text(f"<!-- {path} -->\n{html}")
                files.append(file)
    assert len(files) > 100
    run = subprocess.run([*command, *map(str, files)], capture_output=True, text=True,
                         timeout=600, check=True)
    errors = [
        f"{_page_of(m['url'])}: {m['message']} {m.get('extract', '')!r}"
        for m in json.loads(run.stderr)["messages"]
        if m["type"] == "error" and not HTMX.search(m["message"])
    ]
    assert errors == [], "\n".join(errors)
