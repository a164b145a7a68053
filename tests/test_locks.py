"""The app's lock file alone serves the app: `make serve` installs requirements.lock, never
the test extras, so whatever gunicorn's configured worker needs must be pinned there."""

import ast
import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pinned(lock: str) -> set[str]:
    text = (ROOT / lock).read_text()
    return {canonicalize_name(name) for name in re.findall(r"^([A-Za-z0-9_.\-]+)==", text, re.M)}


def _needs(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({**default_environment(), "extra": extra})
               for extra in extras or {""})


def _closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution these requirements bring, with their extras, as installed here."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for line in importlib.metadata.requires(requirement.name) or []:
            needed = Requirement(line)
            if _needs(needed, set(requirement.extras)):
                todo.append(needed)
    return {key.split("[")[0] for key in seen}


def _configured_worker() -> str:
    """gunicorn.conf.py's default worker class."""
    for node in ast.walk(ast.parse((ROOT / "gunicorn.conf.py").read_text())):
        if (isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "worker_class"
                and isinstance(node.value, ast.Call)):
            return node.value.args[1].value
    raise AssertionError("gunicorn.conf.py sets no worker_class")


def test_the_app_lock_pins_everything_the_app_and_its_worker_need():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(line) for line in project["dependencies"]]
    worker = _configured_worker()
    gunicorn = next(r for r in runtime if canonicalize_name(r.name) == "gunicorn")
    # the worker class's own packages come with gunicorn's extra of that name
    assert worker in gunicorn.extras, f"pyproject.toml asks for gunicorn without [{worker}]"
    missing = _closure(runtime) - _pinned("requirements.lock")
    assert missing == set(), f"needed to serve, but only in the test lock or nowhere: {missing}"
