"""Layout constants shared by the .docx, HTML and PDF renderers (Decree 30/2020, Appendix I)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT = "Times New Roman"
# Liberation Serif is metric-compatible with Times New Roman and carries the Vietnamese glyphs.
CSS_FONT_STACK = '"Liberation Serif", "Times New Roman", serif'

PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
CERT_MARGIN_MM = 12  # certificate (Giấy khen): its own symmetrical layout inside a frame

BODY_PT = 14
QUOC_HIEU_PT = 13
TIEU_NGU_PT = 14
ISSUER_PT = 13
NUMBER_PT = 13
DATE_PT = 14
NOI_NHAN_LABEL_PT = 12
NOI_NHAN_PT = 11
PAGE_NUMBER_PT = 14
FIRST_LINE_INDENT_CM = 1.27
PARA_SPACING_PT = 6

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

# Header block: left (issuing body) and right (Quốc hiệu) column widths in cm. The Quốc hiệu at
# 13 pt bold is 9.57 cm wide in Times New Roman (the cells have no side padding), so the right column
# gets 9.7 cm; "UBND HUYỆN CHÂU THÀNH A" at 13 pt is 6.6 cm, so the left one gets 6.8 cm.
HEADER_COLS_CM = {False: (6.8, 9.7), True: (9.0, 16.2)}


def text_width_cm(landscape: bool) -> float:
    width = PAGE_H_MM if landscape else PAGE_W_MM
    return (width - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10


_FONT_FILES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}
_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)


@lru_cache(maxsize=8)
def _advances(bold: bool, italic: bool) -> tuple[dict[int, float], float] | None:
    """Advance widths (in em) of Liberation Serif, or ``None`` when the font is not installed."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:  # pragma: no cover - fontTools comes with WeasyPrint
        return None
    for folder in _FONT_DIRS:
        path = folder / _FONT_FILES[(bold, italic)]
        if path.exists():
            font = TTFont(str(path), lazy=True)
            upm = font["head"].unitsPerEm
            metrics = font["hmtx"].metrics
            widths = {cp: metrics[g][0] / upm for cp, g in font.getBestCmap().items()}
            font.close()
            return widths, 0.5
    return None


def measure_cm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Width of one line of ``text`` in cm, from the Times-compatible metrics (estimate without them)."""
    table = _advances(bold, italic)
    if table is None:
        em = 0.55 * len(text)
    else:
        widths, fallback = table
        em = sum(widths.get(ord(c), fallback) for c in text)
    return em * size_pt / 72 * 2.54
