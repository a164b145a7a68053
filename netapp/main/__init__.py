"""The landing page, the home page built from every domain's panels, and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)
