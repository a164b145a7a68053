"""The one htmx helper: the same URL serves the whole page or just its fragment."""

from flask import make_response, render_template, request


def is_htmx() -> bool:
    """True when htmx made the request (and it is not a history restore)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(page: str, fragment: str, **context):
    """Render the page, or only its fragment for htmx; caches must key on HX-Request."""
    response = make_response(render_template(fragment if is_htmx() else page, **context))
    response.headers["Vary"] = _vary(response.headers.get("Vary"), "HX-Request")
    return response


def _vary(existing: str | None, header: str) -> str:
    values = [v.strip() for v in (existing or "").split(",") if v.strip()]
    return ", ".join([*values, header] if header not in values else values)
