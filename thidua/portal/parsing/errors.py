"""Error types of the portal readers."""

from __future__ import annotations

from typing import NamedTuple


class PortalFileError(Exception):
    """The file as a whole cannot be read; ``message`` is one Vietnamese sentence for the user.

    ``reason`` names the common cases ("missing", "empty", "too_large", "unpacked_too_large", "corrupt",
    "no_header", "no_rows") for a reader of other files (the unit registry) that words them its own way; ""
    for the others."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class RowError(NamedTuple):
    """A problem in one data row.

    ``row`` is the row number the user sees (Excel's 1-based row, or the CSV line number),
    ``field`` the field key (``"due_at"``…) or ``None``, ``message`` the Vietnamese detail without the
    row prefix; ``str(err)`` gives the full sentence ``Dòng 12: ngày hẹn trả "31/02/2021" …``.
    """

    row: int
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}"

    @property
    def text(self) -> str:
        return str(self)
