"""The error our commands raise for their user.

Django prints a failed command's error as ``<class name>: <message>``; this subclass of its
CommandError is named so that the line reads "Lỗi: …" rather than "CommandError: …"."""

from __future__ import annotations

from django.core.management.base import CommandError as DjangoCommandError


class CommandError(DjangoCommandError):
    pass


CommandError.__name__ = CommandError.__qualname__ = "Lỗi"
