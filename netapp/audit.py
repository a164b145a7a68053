"""The audit log: who did what to an account, a role or an export, when and from where.

One line per event on the logger `netapp.audit`, so an operator can send it apart from the
rest (a file of its own, a SIEM). It names people by their user id and the event by a
fixed word; it never holds content (notes, answers, names, passwords, typed e-mail
addresses of unknown accounts) or tokens.
"""

import logging
from datetime import UTC, datetime

from flask import has_request_context, request

logger = logging.getLogger("netapp.audit")


def _actor() -> str:
    """Who acts: the logged-in user's id, `anonymous`, or `operator` (a command)."""
    if not has_request_context():
        return "operator"
    from flask_login import current_user

    user = current_user._get_current_object()
    return str(user.id) if getattr(user, "is_authenticated", False) else "anonymous"


def record(event: str, user: int | str | None = None, **details) -> None:
    """Log EVENT about account USER (a user id) with DETAILS (ids and fixed words only)."""
    address = (request.remote_addr or "-") if has_request_context() else "-"
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    extra = "".join(f" {key}={value}" for key, value in sorted(details.items()))
    logger.info("%s user=%s by=%s from=%s at=%s%s", event, "-" if user is None else user,
                _actor(), address, at, extra)
