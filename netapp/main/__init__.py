from netapp.main.views import bp

__all__ = ["bp"]
