"""ROUTES.md is the route index a newcomer reads: it must say what the URL map says."""

from netapp import routes_index


def test_routes_md_matches_the_url_map(app):
    """Regenerate the index and compare: a route added or moved without it fails here."""
    assert routes_index.INDEX.read_text(encoding="utf-8") == routes_index.render(app), (
        "ROUTES.md is out of date: run `python -m netapp.routes_index` and commit it"
    )


def test_every_route_is_in_the_index_with_its_view(app):
    text = routes_index.INDEX.read_text(encoding="utf-8")
    for rule in app.url_map.iter_rules():
        assert f"| `{rule.rule}` |" in text
    assert "| `/meetings/<int:meeting_id>` | GET | `meetings.meeting` |" in text


def test_a_view_s_templates_include_those_of_its_module_helpers():
    """The meeting page renders through a helper of its module; the index still finds it."""
    from netapp.live import views

    assert routes_index.templates_of(views.meeting) == ["live/meeting.html"]


def test_the_cli_command_writes_the_index(app, tmp_path, monkeypatch):
    target = tmp_path / "ROUTES.md"
    monkeypatch.setattr(routes_index, "INDEX", target)
    monkeypatch.setattr(routes_index, "ROOT", tmp_path)
    result = app.test_cli_runner().invoke(args=["routes-index"])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == routes_index.render(app)
