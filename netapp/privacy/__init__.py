from netapp.privacy.views import bp

__all__ = ["bp"]
