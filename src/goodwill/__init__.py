"""Goodwill: relationship intelligence for customer-facing teams."""

__version__ = "0.1.0"
