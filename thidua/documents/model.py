"""A format-independent model of a Vietnamese official document (Decree 30/2020/NĐ-CP).

The builders in :mod:`thidua.documents.reward` return :class:`OfficialDocument` values; the
renderers turn one into .docx (:func:`thidua.documents.render_docx`), HTML
(:func:`~thidua.documents.render_html`) or PDF (:func:`~thidua.documents.render_pdf`).
Everything here is a frozen dataclass holding plain text: no formatting markup, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

__all__ = [
    "Block",
    "Bullets",
    "Heading",
    "OfficialDocument",
    "Paragraph",
    "Signature",
    "Signatures",
    "Spacer",
    "Table",
]

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph. Defaults follow the decree: justified, first-line indent 1.27 cm.

    ``size`` overrides the body size in points (the certificate uses large type). ``lead`` is a
    bold run printed before the text, e.g. ``"Điều 1."`` in a decision.
    """

    text: str
    bold: bool = False
    italic: bool = False
    indent: bool = True
    align: Align = "justify"
    size: float | None = None
    lead: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading: level 1 ``"I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"``, level 2 ``"1. Đặc điểm"``.

    ``align="center"`` is used for lines such as ``"QUYẾT ĐỊNH:"``.
    """

    text: str
    level: int = 1
    align: Align = "justify"


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table with one header row (repeated on each page).

    ``widths`` are relative column weights (``(1, 6, 3)`` gives 10 %, 60 %, 30 % of the text
    width); ``None`` shares the width equally. ``aligns`` gives each column's alignment (default
    left). ``font_size`` in points; wide ranking tables use 11 pt.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] | None = None
    aligns: tuple[Align, ...] | None = None
    font_size: float = 12
    bold_last_row: bool = False

    def __post_init__(self) -> None:
        n = len(self.headers)
        for i, row in enumerate(self.rows):
            if len(row) != n:
                raise ValueError(f"Table row {i} has {len(row)} cells, expected {n}")
        if self.widths is not None and len(self.widths) != n:
            raise ValueError(f"Table widths has {len(self.widths)} entries, expected {n}")
        if self.aligns is not None and len(self.aligns) != n:
            raise ValueError(f"Table aligns has {len(self.aligns)} entries, expected {n}")

    def col_fractions(self) -> tuple[float, ...]:
        weights = self.widths or (1,) * len(self.headers)
        total = sum(weights)
        return tuple(w / total for w in weights)

    def col_align(self, i: int) -> Align:
        return self.aligns[i] if self.aligns else "left"


@dataclass(frozen=True, slots=True)
class Bullets:
    """A list whose items are printed the Vietnamese way: each on its own line starting ``"- "``."""

    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Spacer:
    """Vertical space, in points."""

    points: float = 12


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature block: authority lines (upper case, bold), an optional italic note such as
    ``"(Ký, đóng dấu)"``, space for the signature and seal, then the signer's full name."""

    authority_lines: tuple[str, ...]
    signer_name: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Signatures:
    """Two signatures side by side (minutes: secretary left, chair right)."""

    left: Signature
    right: Signature


Block = Paragraph | Heading | Table | Bullets | Spacer | Signatures


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    """One official document.

    ``number`` is the full number and symbol (``"15/TTr-PNV"``); when it is ``None`` the number
    is left blank for the clerk (``"Số:      /TTr-PNV"``, using ``symbol``). ``issuer`` empty
    means a personal form (individual achievement report): the Quốc hiệu is then centred alone.
    ``signature`` ``None`` means the signatures are in the blocks (a :class:`Signatures`).
    ``layout`` is ``"official"`` (Decree 30 text document) or ``"certificate"`` (Giấy khen).
    ``date`` ``None`` leaves the day and month blank for the signer; ``year`` still fills the year.
    """

    parent_body: str | None
    issuer: str
    number: str | None
    place: str
    date: date | None
    doc_type: str
    subject: str | None
    recipient_line: str | None
    blocks: tuple[Block, ...]
    signature: Signature | None
    recipients: tuple[str, ...] = ()
    landscape: bool = False
    symbol: str | None = None
    layout: Literal["official", "certificate"] = "official"
    title: str = field(default="", compare=False)  # HTML <title>, file names
    year: int | None = None  # printed in an otherwise blank date line ("ngày … tháng … năm 2021")

    def number_line(self) -> str:
        """``"Số: 15/TTr-PNV"`` or, unnumbered, ``"Số:      /TTr-PNV"`` (or ``""`` without a symbol)."""
        if self.number:
            return f"Số: {self.number}"
        if self.symbol:
            return f"Số:      /{self.symbol}"
        return ""

    def decision_line(self) -> str:
        """A certificate's ``"Quyết định số: 1520/QĐ-UBND"``; unnumbered, the clerk's blank
        ``"Quyết định số:      /QĐ-UBND"`` (or ``""`` without a symbol), as :meth:`number_line`."""
        line = self.number_line()
        return f"Quyết định số{line[2:]}" if line else ""
