"""Emails about requests (the texts are shared: every function that files requests sends
them)."""

from domain.notifications import send, status_changed, text

__all__ = ["send", "status_changed", "text"]
