"""Meeting evaluations, the network check, network health and the organisation overview."""

from netapp.evaluations import panels, views_health  # noqa: F401  (routes and home panels)
from netapp.evaluations.views import bp

__all__ = ["bp"]
