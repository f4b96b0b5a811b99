"""Render an :class:`~thidua.documents.model.OfficialDocument` to PDF with ReportLab (platypus).

The layout is the one of the HTML preview (:mod:`.html_renderer`) and of the .docx, following
Decree 30/2020/NĐ-CP, Appendix I: A4, margins 20/15/20/30 mm, Liberation Serif (metric-compatible
with Times New Roman, carries the Vietnamese letters) embedded as subsets, page numbers from
page 2 centred at the top, the Giấy khen on A4 landscape inside a red frame.

ReportLab lays a page out 10-50x faster than an HTML engine, which is what keeps the ~100-file
year-end dossier within its time budget. Nothing is ever loaded: every piece of text goes
through :func:`_t`, which escapes ReportLab's paragraph markup (``<img src=...>``, ``<a>``,
``<font>``), so user text can neither pull in files or URLs nor change the formatting. Fonts are
read from the system font folders once per process.

Imported lazily by :func:`thidua.documents.render_pdf`: importing :mod:`thidua.documents` does not
import ReportLab.
"""

from __future__ import annotations

import io
import re
import threading
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    KeepTogether,
    PageTemplate,
    Spacer,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from . import layout as L
from .model import (
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Signatures,
    Table,
)
from .model import Spacer as DocSpacer
from .text import shown, vn_date_line

__all__ = ["render_pdf"]

FAMILY = "LiberationSerif"
_FACES = {
    (False, False): FAMILY,
    (True, False): f"{FAMILY}-Bold",
    (False, True): f"{FAMILY}-Italic",
    (True, True): f"{FAMILY}-BoldItalic",
}
LINE_HEIGHT = 1.15  # as the HTML preview: line-height 1.15
RULE_PT = 0.75
CERT_RED = colors.HexColor("#b01010")
CERT_PAD_V_MM, CERT_PAD_H_MM = 6, 10  # inside the frame, as the HTML preview's @page padding
SIGNATURE_SPACE_PT = 76  # room for the signature and the seal above the signer's name

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_fonts_lock = threading.Lock()
_fonts_ready = False


def _register_fonts() -> None:
    """Register the four Liberation Serif faces (TrueType, embedded as subsets) once per process."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if _fonts_ready:
            return
        for key, name in _FACES.items():
            path = _font_path(L._FONT_FILES[key])
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # binary (deflated) streams instead of ASCII85-armoured ones: 20 % smaller files, less CPU.
        # A process-wide ReportLab setting; nothing else in Thi Đua DVC uses ReportLab.
        rl_config.useA85 = 0
        pdfmetrics.registerFontFamily(
            FAMILY,
            normal=_FACES[False, False],
            bold=_FACES[True, False],
            italic=_FACES[False, True],
            boldItalic=_FACES[True, True],
        )
        _fonts_ready = True


def _font_path(filename: str):
    for folder in L._FONT_DIRS:
        path = folder / filename
        if path.exists():
            return path
    raise RuntimeError(
        f"{filename} not found in {', '.join(map(str, L._FONT_DIRS))}: install fonts-liberation2 "
        "(Liberation Serif carries the Vietnamese letters of the official documents)"
    )


def _face(bold: bool = False, italic: bool = False) -> str:
    return _FACES[bold, italic]


# -------------------------------------------------------------------------------- styles
_style_cache: dict[tuple, ParagraphStyle] = {}


def _style(
    size: float = L.BODY_PT,
    *,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    red: bool = False,
) -> ParagraphStyle:
    key = (size, bold, italic, align, indent, before, after, red)
    style = _style_cache.get(key)
    if style is None:
        style = ParagraphStyle(
            f"s{len(_style_cache)}",
            fontName=_face(bold, italic),
            fontSize=size,
            leading=round(size * LINE_HEIGHT, 2),
            alignment=_ALIGN[align],
            firstLineIndent=L.FIRST_LINE_INDENT_CM * cm if indent else 0,
            spaceBefore=before,
            spaceAfter=after,
            textColor=CERT_RED if red else colors.black,
            allowWidows=0,
            allowOrphans=0,
        )
        _style_cache[key] = style
    return style


_SPACES = re.compile(r" {2,}")


def _t(text: str) -> str:
    """Escape ``text`` for a ReportLab paragraph; keep runs of spaces (blank numbers) and line breaks."""
    text = _SPACES.sub(lambda m: "\u00a0" * len(m.group()), shown(text))
    return escape(text).replace("\n", "<br/>")


def _p(text: str, style: ParagraphStyle, lead: str | None = None) -> RLParagraph:
    markup = _t(text)
    if lead:
        markup = f"<b>{_t(lead)}</b> {markup}"
    return RLParagraph(markup, style)


class _Rule(Flowable):
    """A centred horizontal line ``width`` points long, ``gap`` points below the previous line."""

    def __init__(self, width: float, gap: float = 3.5, after: float = 0, thickness: float = RULE_PT):
        super().__init__()
        self.rule_width, self.gap, self.after, self.thickness = width, gap, after, thickness

    def wrap(self, avail_width, avail_height):
        self._avail = avail_width
        return avail_width, self.gap + self.thickness + self.after

    def draw(self):
        x = (self._avail - self.rule_width) / 2
        y = self.after + self.thickness / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, y, x + self.rule_width, y)


def _text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    return pdfmetrics.stringWidth(text, _face(bold, italic), size)


def _layout_table(rows, col_widths, *, valign: str = "TOP", extra=()) -> RLTable:
    """A borderless table with no cell padding, used to place blocks side by side."""
    table = RLTable(rows, colWidths=col_widths)
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FAMILY),  # the cell default, else Helvetica is referenced
            ("VALIGN", (0, 0), (-1, -1), valign),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            *extra,
        ]
    )
    return table


# --------------------------------------------------------------------------------- the parts
def _tieu_ngu() -> list[Flowable]:
    """Quốc hiệu, Tiêu ngữ and the line under the motto, as long as the motto."""
    return [
        _p(L.QUOC_HIEU, _style(L.QUOC_HIEU_PT, bold=True)),
        _p(L.TIEU_NGU, _style(L.TIEU_NGU_PT, bold=True)),
        _Rule(_text_width(L.TIEU_NGU, L.TIEU_NGU_PT, bold=True), gap=3.5),
    ]


def _header(doc: OfficialDocument) -> list[Flowable]:
    date_line = _p(vn_date_line(doc.place, doc.date, doc.year), _style(L.DATE_PT, italic=True))
    if not doc.issuer:  # a personal form: the Quốc hiệu centred alone, the date line under it
        return [*_tieu_ngu(), Spacer(0, 4), date_line]
    left_w, right_w = (w * cm for w in L.HEADER_COLS_CM[doc.landscape])
    left: list[Flowable] = []
    if doc.parent_body:
        left.append(_p(doc.parent_body, _style(L.ISSUER_PT)))
    left.append(_p(doc.issuer, _style(L.ISSUER_PT, bold=True)))
    longest = max(_text_width(line, L.ISSUER_PT, bold=True) for line in doc.issuer.split("\n"))
    left.append(_Rule(min(longest, left_w) * 0.4))
    number = _p(doc.number_line(), _style(L.NUMBER_PT))
    table = _layout_table(
        [[left, _tieu_ngu()], [number, date_line]],
        [left_w, right_w],
        extra=[("TOPPADDING", (0, 1), (-1, 1), 4)],
    )
    table.hAlign = "LEFT"
    return [table]


def _title(doc: OfficialDocument) -> list[Flowable]:
    out: list[Flowable] = [_p(doc.doc_type, _style(L.BODY_PT, bold=True, before=18))]
    if doc.subject:
        out.append(_p(doc.subject, _style(L.BODY_PT, bold=True)))
        out.append(_Rule(3 * cm, gap=6.5))
    if doc.recipient_line:
        out.append(_p(doc.recipient_line, _style(L.BODY_PT, before=12, after=6)))
    else:
        out.append(Spacer(0, 6))
    return out


def _authority(sig: Signature) -> list[Flowable]:
    out: list[Flowable] = [_p(line, _style(L.BODY_PT, bold=True)) for line in sig.authority_lines]
    if sig.note:
        out.append(_p(sig.note, _style(L.BODY_PT - 1, italic=True)))
    return out


def _signature(sig: Signature) -> list[Flowable]:
    # spaceBefore of a paragraph inside a table cell is honoured except at the cell's top
    return [*_authority(sig), Spacer(0, SIGNATURE_SPACE_PT), _p(sig.signer_name, _style(L.BODY_PT, bold=True))]


def _signatures(block: Signatures, width: float) -> list[Flowable]:
    """Two signatures side by side (secretary left, chair right); the names share a row."""
    half = width / 2
    rows = [
        [_authority(block.left), _authority(block.right)],
        [
            [Spacer(0, SIGNATURE_SPACE_PT), _p(block.left.signer_name, _style(L.BODY_PT, bold=True))],
            [Spacer(0, SIGNATURE_SPACE_PT), _p(block.right.signer_name, _style(L.BODY_PT, bold=True))],
        ],
    ]
    return [Spacer(0, 6), _layout_table(rows, [half, half])]


def _noi_nhan(recipients: tuple[str, ...]) -> list[Flowable]:
    if not recipients:
        return []
    item = _style(L.NOI_NHAN_PT, align="left")
    return [
        _p("Nơi nhận:", _style(L.NOI_NHAN_LABEL_PT, bold=True, italic=True, align="left")),
        *(_p(f"- {r}", item) for r in recipients),
    ]


def _signature_block(doc: OfficialDocument, width: float) -> list[Flowable]:
    if doc.signature is None and not doc.recipients:
        return []
    left_w = width * 0.45
    sig = _signature(doc.signature) if doc.signature else []
    table = _layout_table([[_noi_nhan(doc.recipients), sig]], [left_w, width - left_w])
    # "Nơi nhận:" level with the first authority line, both 12 pt under the body
    return [Spacer(0, 12), table]


_CELL_PAD_H = 3


@lru_cache(maxsize=4096)
def _word_width(word: str, face: str, size: float) -> float:
    return pdfmetrics.stringWidth(word, face, size)


def _longest_word(text: str, size: float, bold: bool) -> float:
    face = _face(bold)
    return max((_word_width(w, face, size) for w in text.split()), default=0.0)


def _col_widths(block: Table, width: float) -> list[float]:
    """The column widths of ``block``: its relative weights, but, as in CSS, no column narrower than
    its longest word (``STT`` must not break into ``ST``/``T``); the room is taken from the other
    columns in proportion to what they have beyond their own longest word."""
    size, last = block.font_size, len(block.rows) - 1
    mins = []
    for c, header in enumerate(block.headers):
        longest = _longest_word(header, size, True)
        for r, row in enumerate(block.rows):
            longest = max(longest, _longest_word(row[c], size, block.bold_last_row and r == last))
        mins.append(longest + 2 * _CELL_PAD_H + 0.5)
    widths = [f * width for f in block.col_fractions()]
    short = sum(m - w for w, m in zip(widths, mins, strict=True) if w < m)
    slack = sum(w - m for w, m in zip(widths, mins, strict=True) if w > m)
    if short <= 0 or slack <= 0:
        return widths
    k = min(1.0, short / slack)
    return [m if w <= m else w - (w - m) * k for w, m in zip(widths, mins, strict=True)]


def _grid_table(block: Table, width: float) -> Flowable:
    size = block.font_size
    head = _style(size, bold=True)
    cell_styles = [_style(size, align=block.col_align(c)) for c in range(len(block.headers))]
    bold_styles = [_style(size, bold=True, align=block.col_align(c)) for c in range(len(block.headers))]
    last = len(block.rows) - 1
    data = [[_p(h, head) for h in block.headers]]
    for r, row in enumerate(block.rows):
        styles = bold_styles if block.bold_last_row and r == last else cell_styles
        data.append([_p(v, s) for v, s in zip(row, styles, strict=True)])
    table = RLTable(
        data,
        colWidths=_col_widths(block, width),
        repeatRows=1,
        spaceBefore=6,
        spaceAfter=4,
    )
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FAMILY),
            ("GRID", (0, 0), (-1, -1), RULE_PT, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD_H),
            ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD_H),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )
    return table


def _blocks(doc: OfficialDocument, width: float, cert: bool = False) -> list[Flowable]:
    out: list[Flowable] = []
    headings: set[int] = set()  # ids of heading paragraphs: kept with what follows them
    before, after = (0, 8) if cert else (L.PARA_SPACING_PT, 0)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            style = _style(
                block.size or L.BODY_PT,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent and not cert,
                before=before,
                after=after,
            )
            out.append(_p(block.text, style, block.lead))
        elif isinstance(block, Heading):
            center = block.align == "center"
            style = _style(
                L.BODY_PT,
                bold=True,
                align="center" if center else block.align,
                indent=not center,
                before=L.PARA_SPACING_PT,
            )
            out.append(_p(block.text, style))
            headings.add(id(out[-1]))
        elif isinstance(block, Bullets):
            style = _style(L.BODY_PT, align="justify", indent=True, before=L.PARA_SPACING_PT)
            out.extend(_p(f"- {item}", style) for item in block.items)
        elif isinstance(block, Table):
            out.append(_grid_table(block, width))
        elif isinstance(block, DocSpacer):
            out.append(Spacer(0, block.points))
        elif isinstance(block, Signatures):
            pair = _signatures(block, width)
            if out and isinstance(out[-1], RLParagraph) and id(out[-1]) not in headings:
                pair.insert(0, out.pop())  # never alone at the top of a page: with the paragraph before
            out.append(KeepTogether(pair))
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"unknown block {type(block).__name__}")
    return _keep(out, headings)


# a heading moves to the next page with what follows it when less room than this is left for the
# thing after it: two or three lines of a paragraph, or a table's header row and a row or two
KEEP_NEXT_PT = 80


class _KeepRoom(CondPageBreak):
    """A conditional page break placed before a run of headings: it breaks the page unless the
    headings and the start of what follows them fit (CSS ``break-after: avoid``).

    Platypus's ``keepWithNext`` would glue a heading to a whole table and push both to a new page
    whenever the table does not fit the rest of the current one, leaving half a page blank.
    """

    def __init__(self, headings: list[Flowable], following: Flowable | None):
        super().__init__(0)
        self._headings, self._following = headings, following

    def wrap(self, avail_width, avail_height):
        need = sum(h.wrap(avail_width, avail_height)[1] + h.getSpaceBefore() for h in self._headings)
        f = self._following
        if isinstance(f, RLParagraph):
            need += min(f.wrap(avail_width, avail_height)[1] + f.getSpaceBefore(), KEEP_NEXT_PT)
        elif f is not None:
            need += KEEP_NEXT_PT
        self.height = need
        return super().wrap(avail_width, avail_height)


def _keep(flowables: list[Flowable], headings: set[int]) -> list[Flowable]:
    """Put a :class:`_KeepRoom` before each run of headings."""
    out: list[Flowable] = []
    i, n = 0, len(flowables)
    while i < n:
        if id(flowables[i]) not in headings:
            out.append(flowables[i])
            i += 1
            continue
        j = i
        while j < n and id(flowables[j]) in headings:
            j += 1
        out.append(_KeepRoom(flowables[i:j], flowables[j] if j < n else None))
        out.extend(flowables[i:j])
        i = j
    return out


def _certificate(doc: OfficialDocument, width: float, height: float) -> list[Flowable]:
    decision = doc.decision_line()
    left_w = width * 0.45
    right = [_p(vn_date_line(doc.place, doc.date, doc.year), _style(L.DATE_PT, italic=True))]
    if doc.signature is not None:
        right.extend(_signature(doc.signature))
    foot = _layout_table(
        [[[Spacer(0, 66), _p(decision, _style(12))], right]],
        [left_w, width - left_w],
    )
    content = [
        Spacer(0, 2),
        *_tieu_ngu(),
        _p(doc.issuer, _style(16, bold=True, before=30)),
        _p("TẶNG", _style(16, bold=True, before=10)),
        _p(doc.doc_type, _style(40, bold=True, before=10, after=10, red=True)),
        *_blocks(doc, width, cert=True),
        Spacer(0, 18),
        foot,
    ]
    # one page, whatever the length of the names: shrink to fit rather than overflow the frame
    return [KeepInFrame(width, height, content, mode="shrink")]


# ------------------------------------------------------------------------------- page furniture
def _page_number(canvas, doc) -> None:
    """Page numbers from page 2, centred over the text at the top, in the middle of the top margin."""
    if canvas.getPageNumber() < 2:
        return
    canvas.saveState()
    canvas.setFont(_face(), L.PAGE_NUMBER_PT)
    page_w, page_h = doc.pagesize
    x = doc.leftMargin + (page_w - doc.leftMargin - doc.rightMargin) / 2
    y = page_h - L.MARGIN_TOP_MM * mm / 2 - L.PAGE_NUMBER_PT * 0.35
    canvas.drawCentredString(x, y, str(canvas.getPageNumber()))
    canvas.restoreState()


def _frame(canvas, doc) -> None:
    """The certificate's decorative frame: a red double line with a thin line inside it."""
    canvas.saveState()
    page_w, page_h = doc.pagesize
    canvas.setStrokeColor(CERT_RED)
    m = L.CERT_MARGIN_MM * mm
    for inset, weight in ((0.75, 1.5), (3.75, 1.5), (7.5, 0.5)):
        canvas.setLineWidth(weight)
        canvas.rect(m + inset, m + inset, page_w - 2 * (m + inset), page_h - 2 * (m + inset))
    canvas.restoreState()


def _template(out: io.BytesIO, doc: OfficialDocument, margins: tuple[float, float, float, float], on_page):
    """A document template with one frame, without padding, inside ``margins`` (top, right, bottom,
    left, in points); ``on_page`` draws the page furniture (page number, certificate frame)."""
    pagesize = landscape(A4) if doc.landscape else A4
    top, right, bottom, left = margins
    template = BaseDocTemplate(
        out,
        pagesize=pagesize,
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        title=doc.title or doc.doc_type,
        author=doc.issuer.replace("\n", " ") or "Thi Đua DVC",
        subject=doc.subject or "",
        creator="Thi Đua DVC",
        lang="vi-VN",
        initialFontName=FAMILY,
        initialFontSize=L.BODY_PT,
    )
    frame = Frame(
        left,
        bottom,
        template.width,
        template.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    return template


def render_pdf(doc: OfficialDocument) -> bytes:
    """Render ``doc`` to PDF bytes (A4, Decree 30/2020 layout, Liberation Serif embedded)."""
    _register_fonts()
    out = io.BytesIO()
    if doc.layout == "certificate":
        m = L.CERT_MARGIN_MM * mm
        v, h = m + CERT_PAD_V_MM * mm, m + CERT_PAD_H_MM * mm
        template = _template(out, doc, (v, h, v, h), _frame)
        template.build(_certificate(doc, template.width, template.height))
        return out.getvalue()
    margins = (L.MARGIN_TOP_MM * mm, L.MARGIN_RIGHT_MM * mm, L.MARGIN_BOTTOM_MM * mm, L.MARGIN_LEFT_MM * mm)
    template = _template(out, doc, margins, _page_number)
    width = template.width
    story = [*_header(doc), *_title(doc), *_blocks(doc, width)]
    closing = _signature_block(doc, width)
    if closing and story and isinstance(story[-1], RLParagraph):
        # the signature never stands alone at the top of a page: keep the last paragraph with it
        closing = [KeepTogether([story.pop(), *closing])]
    template.build([*story, *closing])
    return out.getvalue()
