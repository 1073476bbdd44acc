"""kimsite: static websites for Indonesia's KIM community information groups."""

__version__ = "0.1.0"
