"""What netapp writes to its logs: never a token, never content, one entry per failure.

Links in e-mails carry secret tokens in their path (a password reset, an invitation, an
e-mail change, a calendar feed, an answer link); an access log line holding one would let
whoever reads the log use it. Every logged path, request line and Referer goes through
`redact`: gunicorn's access log (`GunicornLogger`, named in gunicorn.conf.py), Werkzeug's
development server log and the line logged for a failed request. Statement parameters
(note text) are kept out by the engine's `hide_parameters` (netapp/config.py).
"""

import logging
import re
import traceback
from pathlib import Path

from flask import has_request_context, request

REDACTED = "[redacted]"

# Any path segment that looks like a link token (secrets.token_urlsafe, itsdangerous), for
# the moments before the app has named its own token routes (gunicorn's master process).
_LONG_SEGMENT = re.compile(
    r"(?:(?<=/)|(?<=%2[Ff]))[A-Za-z0-9_\-]{20,}(?:\.[A-Za-z0-9_\-]+)*(?=[/?#&\s\"%]|$)")
_TOKEN_QUERY = re.compile(r"(?i)((?:^|[?&])(?:token|key)=)[^&#\s\"]*")
_token_routes: list[re.Pattern] = []


def token_routes(url_map) -> list[re.Pattern]:
    """A pattern per route that takes a <token>: its path with the token segment captured."""
    patterns = []
    for rule in url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        parts = re.split(r"<([^>]+)>", rule.rule)
        regex = ""
        for i, part in enumerate(parts):
            if i % 2 == 0:
                regex += re.escape(part)
            else:
                name = part.split(":")[-1]
                regex += r"(?P<token>[^/?#\s\"]+?)" if name == "token" else r"[^/?#\s\"]+"
        patterns.append(re.compile(regex + r"(?=[?#\s\"]|$)"))
    return patterns


def redact(text: str) -> str:
    """TEXT (a path, a request line, a URL) with every link token replaced by [redacted]."""
    if not isinstance(text, str) or not text:
        return text
    for pattern in _token_routes:
        text = pattern.sub(lambda m: _replace_group(m, "token"), text)
    text = _LONG_SEGMENT.sub(REDACTED, text)
    return _TOKEN_QUERY.sub(lambda m: m.group(1) + REDACTED, text)


def _replace_group(match: re.Match, group: str) -> str:
    start, end = match.span(group)
    whole = match.group(0)
    return whole[: start - match.start()] + REDACTED + whole[end - match.start():]


class RedactingFilter(logging.Filter):
    """For Werkzeug's request log: the formatted line, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


def init_app(app) -> None:
    """Learn the app's token routes; redact Werkzeug's development server log."""
    _token_routes[:] = token_routes(app.url_map)
    audit = logging.getLogger("netapp.audit")
    if audit.level == logging.NOTSET:  # its lines are wanted without any logging set-up
        audit.setLevel(logging.INFO)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug.filters):
        werkzeug.addFilter(RedactingFilter())


def log_failed_request(logger: logging.Logger, exc: BaseException, status: int = 500) -> None:
    """One failed request: one line saying what failed where, then one traceback (the
    exception's own, without the chain of exceptions that led to it)."""
    where = f"{request.method} {redact(request.path)}" if has_request_context() else "-"
    reason = (str(exc).strip().splitlines() or [""])[0][:300]
    trace = concise_traceback(exc)
    logger.error("%s %s failed: %s: %s\n%s", status, where, type(exc).__name__, reason, trace)


OWN_CODE = str(Path(__file__).resolve().parent)
LAST_FRAMES = 3  # where the exception was raised, inside a library or not


def concise_traceback(exc: BaseException) -> str:
    """The exception's own traceback (not the chain that led to it), with netapp's frames and
    the last few; each run of library frames between them is one line saying how many."""
    frames = traceback.extract_tb(exc.__traceback__)
    keep = [frame.filename.startswith(OWN_CODE) or i >= len(frames) - LAST_FRAMES
            for i, frame in enumerate(frames)]
    lines, skipped = ["Traceback (most recent call last):\n"], 0
    for frame, kept in zip(frames, keep, strict=True):
        if not kept:
            skipped += 1
            continue
        if skipped:
            lines.append(f"  ... {skipped} frames of libraries ...\n")
            skipped = 0
        lines.extend(traceback.format_list([frame]))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines).rstrip()


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only needed to serve
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger, whose access log lines never hold a link token."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {key: redact(value) if isinstance(value, str) else value
                    for key, value in atoms.items()}
