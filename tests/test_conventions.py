"""One way to wire a domain: its __init__.py creates bp; its views.py, views_<topic>.py
and panels.py modules register on it; nothing else does."""

import re
from importlib import import_module
from pathlib import Path

from flask import Blueprint

from netapp import DOMAINS, is_view_module

NETAPP = Path(__file__).resolve().parent.parent / "netapp"


def test_each_domain_creates_bp_in_its_package():
    for name in DOMAINS:
        bp = import_module(f"netapp.{name}").bp
        assert isinstance(bp, Blueprint) and bp.name == name
        assert bp.import_name == f"netapp.{name}"  # created in __init__.py, not a submodule


def test_every_route_lives_in_a_view_module_of_its_own_domain(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        module = app.view_functions[rule.endpoint].__module__
        domain, _dot, leaf = module.removeprefix("netapp.").partition(".")
        assert rule.endpoint.split(".")[0] == domain, rule.rule
        assert is_view_module(leaf), f"{rule.rule} is served from {module}"


def test_only_view_modules_hang_anything_on_bp():
    """A module outside the naming would never be imported by the factory."""
    offenders = []
    for name in DOMAINS:
        for path in sorted((NETAPP / name).glob("*.py")):
            uses_bp = re.search(r"^@bp\.", path.read_text(encoding="utf-8"), re.M)
            if uses_bp and path.stem != "__init__" and not is_view_module(path.stem):
                offenders.append(path.relative_to(NETAPP).as_posix())
    assert offenders == []


def test_views_are_named_views_or_views_topic():
    assert is_view_module("views") and is_view_module("views_contract")
    assert not is_view_module("contract_views") and not is_view_module("reports")
    assert not any((NETAPP / name / "routes.py").exists() or (NETAPP / name / "blueprint.py")
                   .exists() for name in DOMAINS)
