"""Static files: fingerprinted URLs, cached by browsers for a year.

Every page names its stylesheet and scripts with `url_for("static", ...)`; that URL gets
`?v=` and the first characters of the file's SHA-256, so a browser keeps the file until it
changes and a tablet opening the next page asks for none of them again. A request whose
`v` is not the current fingerprint (a page from before a deploy) is answered as before:
`no-cache`, revalidated by ETag.

Static files never read or write the login session, so they carry no `Vary: Cookie` that
would make a cache keep one copy per visitor.
"""

import hashlib
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

YEAR = 365 * 24 * 3600
_fingerprints: dict[Path, tuple[int, str]] = {}  # file: (modification time, fingerprint)


def fingerprint(folder: str, filename: str) -> str | None:
    """The file's fingerprint, computed again only when its modification time changes."""
    path = Path(folder) / filename
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return None
    known = _fingerprints.get(path)
    if known is None or known[0] != modified:
        known = _fingerprints[path] = (modified, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
    return known[1]


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, left untouched by static files (no Vary: Cookie)."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Add fingerprints to static URLs and cache what they name."""
    app.session_interface = SessionInterface()

    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            version = fingerprint(app.static_folder, values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def _cache_fingerprinted(response):
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") == fingerprint(app.static_folder, filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
