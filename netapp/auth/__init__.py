from netapp.auth.views import bp

__all__ = ["bp"]
