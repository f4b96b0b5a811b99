"""Shared pieces of the web application: audit log, clock, formatting, base templates."""
