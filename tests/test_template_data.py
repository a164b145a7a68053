"""Templates show what their view loaded: no optional includes, no other domain's queries."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Jinja globals that run a query; only their own domain's templates may call them.
QUERY_GLOBALS = {"flipover_points": "live"}


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_includes_what_may_be_missing():
    """An include "ignore missing" hides a broken page: every include names a real file."""
    offenders = [p.relative_to(TEMPLATES).as_posix() for p in _templates()
                 if "ignore missing" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _with_includes(path: Path, seen: set) -> str:
    """A template's text and that of every template it includes, however deep."""
    if path in seen or not path.exists():
        return ""
    seen.add(path)
    text = path.read_text(encoding="utf-8")
    for name in re.findall(r"{%-?\s*include\s+[\"']([^\"']+)[\"']", text):
        text += _with_includes(TEMPLATES / name, seen)
    return text


def test_no_template_calls_another_domains_query():
    """A domain's page gets other domains' data from its view, never from an include."""
    offenders = []
    for path in _templates():
        domain = path.relative_to(TEMPLATES).parts[0]
        text = _with_includes(path, set())
        for name, owner in QUERY_GLOBALS.items():
            if domain != owner and re.search(rf"\b{name}\s*\(", text):
                offenders.append(f"{path.relative_to(TEMPLATES).as_posix()}: {name}")
    assert offenders == []


def test_the_flipover_summary_shows_only_what_it_is_given(app):
    """The summary partial runs no query: it shows the list the view passed."""
    from types import SimpleNamespace

    from flask import render_template

    with app.test_request_context():
        html = render_template("live/_flipover_summary.html",
                               flipover=[SimpleNamespace(text="Lær af hinanden")])
        empty = render_template("live/_flipover_summary.html", flipover=[])
    assert "Lær af hinanden" in html and "Pointer fra flipoveren" in html  # Danish first
    assert empty.strip() == ""
