"""ROUTES.md: every URL of the app with its view, templates and tests, from the URL map.

Run `python -m netapp.routes_index` (or `flask --app netapp routes-index`) after adding or
moving a route; tests/test_routes_index.py fails while ROUTES.md is out of date.

Templates are the ".html" names written in the view function and in the functions of its
own module that it calls; tests are the test files that request the URL (a literal path,
an f-string filling its parameters) or name the endpoint in url_for.
"""

import ast
import inspect
import re
import secrets
import sys
import textwrap
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = ROOT / "ROUTES.md"
HEADER = """# Routes

Every URL of netapp, generated from the URL map by `python -m netapp.routes_index`
(a test fails while this file is out of date). The URL's first segment names the
blueprint, whose package's `__init__.py` creates `bp`; its view modules are `views.py`
and `views_<topic>.py`, the topic the URL names after the domain (and after an id);
the view is `module:function` under `netapp/`; templates are under `templates/`.
Every route is also tried by every kind of visitor in tests/test_access_matrix.py; the
tests column lists the files that request it themselves.

| URL | methods | endpoint | view | templates | tests |
| --- | --- | --- | --- | --- | --- |
"""
MOST_TESTS = 4  # a route used everywhere (login) lists its own tests first, then a count
_PARAM = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?[a-z_]+>")


def _function_templates(function, module_functions: dict, seen: set) -> set[str]:
    """The template names in `function`, and in the same module's functions it calls."""
    if function in seen:
        return set()
    seen.add(function)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.endswith(".html"):
                found.add(node.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            callee = module_functions.get(node.func.id)
            if callee is not None:
                found |= _function_templates(callee, module_functions, seen)
    return found


def templates_of(view) -> list[str]:
    """The templates a view renders, as far as its source says."""
    function = inspect.unwrap(view)
    module = sys.modules[function.__module__]
    module_functions = {
        name: value for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__
    }
    return sorted(_function_templates(function, module_functions, set()))


@cache
def _test_sources() -> dict[str, str]:
    return {
        path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests").rglob("*.py"))
    }


def _url_pattern(rule: str) -> re.Pattern:
    """A path in test code: parameters written literally or as f-string fields."""
    parts = _PARAM.split(rule)
    value = r"(?:\{[^{}\"']*\}|[^/\"'\s{}?#]+)"
    body = value.join(re.escape(part) for part in parts)
    return re.compile(rf"[\"']{body}(?=[\"'?#])")


def tests_of(rule: str, endpoint: str) -> list[str]:
    """The test files that request this URL or build it with url_for: those of the
    endpoint's own domain (tests/<blueprint>/) when there are any, else all of them."""
    by_url = _url_pattern(rule)
    by_name = re.compile(rf"url_for\(\s*[\"']{re.escape(endpoint)}[\"']")
    found = [
        path for path, text in _test_sources().items()
        if Path(path).name.startswith("test_")
        and ((rule != "/" and by_url.search(text)) or by_name.search(text)
             or (rule == "/" and re.search(r"\.(?:get|post)\(\s*[\"']/[\"'?]", text)))
    ]
    own = [path for path in found if path.startswith(f"tests/{endpoint.split('.')[0]}/")]
    return own or found


def rows(app) -> list[tuple[str, ...]]:
    """(URL, methods, endpoint, view, templates, tests) for every rule, sorted by URL."""
    table = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        function = inspect.unwrap(view)
        methods = ", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
        if rule.endpoint == "static":
            where, templates = "Flask's static files", []
        else:
            where = f"{function.__module__.removeprefix('netapp.')}:{function.__name__}"
            templates = templates_of(view)
        tests = [path.removeprefix("tests/") for path in tests_of(rule.rule, rule.endpoint)]
        if len(tests) > MOST_TESTS:
            tests[MOST_TESTS:] = [f"and {len(tests) - MOST_TESTS} more"]
        table.append((rule.rule, methods, rule.endpoint, where, ", ".join(templates),
                      ", ".join(tests)))
    return sorted(table)


def render(app) -> str:
    """The whole of ROUTES.md."""
    lines = [
        "| " + " | ".join(f"`{c}`" if i in (0, 2, 3) and c else c for i, c in enumerate(row))
        + " |"
        for row in rows(app)
    ]
    return HEADER + "\n".join(lines) + "\n"


def index_app():
    """The app as configured for indexing: no instance config, no database."""
    from netapp import create_app

    return create_app({"TESTING": True, "SECRET_KEY": secrets.token_hex(16),
                       "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def write(app=None) -> Path:
    """Write ROUTES.md from the URL map."""
    INDEX.write_text(render(app or index_app()), encoding="utf-8")
    return INDEX


if __name__ == "__main__":
    print(f"wrote {write().relative_to(ROOT)}")
