"""Live exercises on one clock for the room; the pure clock and grouping logic live beside it."""

from netapp.live.views import bp

__all__ = ["bp"]
