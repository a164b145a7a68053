"""Benchmark aids, off unless NETAPP_BENCH is set: a bare endpoint and a query count header."""

import sqlalchemy as sa
from flask import g

from netapp.extensions import db


def init_app(app) -> None:
    """Only for `make bench`: never registered in normal runs or tests."""
    if not app.config.get("BENCH"):
        return

    @app.get("/_bare")
    def bare():
        """The yardstick: Flask with nothing behind it."""
        return "ok"

    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def count(*_args):
        try:
            g.query_count = g.get("query_count", 0) + 1
        except RuntimeError:  # outside a request (start-up checks)
            pass

    @app.after_request
    def header(response):
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
