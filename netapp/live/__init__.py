"""Live exercises on one clock for the room; the pure clock and grouping logic live beside it."""

from flask import Blueprint

bp = Blueprint("live", __name__, url_prefix="/live")
