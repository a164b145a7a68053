"""gunicorn reloads (SIGHUP) without dropping a request: workers fork from the loaded app."""

import importlib.util
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not (ROOT / ".venv/bin/gunicorn").exists(),
                                reason="needs the project's .venv (make .venv/.installed)")


def _bench():
    spec = importlib.util.spec_from_file_location("reload_bench", ROOT / "bench" / "reload.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_preloads_the_app_and_stops_workers_gracefully():
    settings = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own file
    assert settings["preload_app"] is True
    assert 0 < settings["graceful_timeout"] < settings["timeout"]


def test_two_reloads_under_load_drop_no_request():
    """Four clients without pause on 127.0.0.1 while the server is sent SIGHUP twice."""
    # A port outside the ephemeral range: gunicorn binds it only after the app has loaded
    # (seconds on a loaded machine), and a bind(0) port could be taken by a connection meanwhile.
    stats = _bench().measure(preload=True, seconds=6.0, hups=(2.0, 4.0), port=free_port())
    assert stats["log"].count("Handling signal: hup") == 2, stats["log"][-2000:]
    assert stats["requests"] > 0 and stats["failures"] == 0, stats
