"""Render an :class:`~thidua.documents.model.OfficialDocument` to .docx with python-docx."""

from __future__ import annotations

import io
from functools import lru_cache

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips
from lxml import etree

from . import layout as L
from .model import (
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Signatures,
    Spacer,
    Table,
)
from .text import printable, shown, vn_date_line

__all__ = ["render_docx"]

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_CERT_RED = RGBColor(0xB0, 0x10, 0x10)


# --------------------------------------------------------------------------- low-level helpers
_W_R, _W_RPR, _W_T, _W_BR = qn("w:r"), qn("w:rPr"), qn("w:t"), qn("w:br")
_W_B, _W_I, _W_COLOR, _W_SZ, _W_SZCS, _W_VAL = (
    qn("w:b"),
    qn("w:i"),
    qn("w:color"),
    qn("w:sz"),
    qn("w:szCs"),
    qn("w:val"),
)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_W_TR, _W_TC, _W_P, _W_TCPR, _W_TCW, _W_GRIDCOL, _W_W = (
    qn("w:tr"),
    qn("w:tc"),
    qn("w:p"),
    qn("w:tcPr"),
    qn("w:tcW"),
    qn("w:gridCol"),
    qn("w:w"),
)


_W_PPR, _W_KEEPNEXT, _W_SPACING, _W_IND, _W_JC = (
    qn("w:pPr"),
    qn("w:keepNext"),
    qn("w:spacing"),
    qn("w:ind"),
    qn("w:jc"),
)
_W_BEFORE, _W_AFTER, _W_FIRSTLINE = qn("w:before"), qn("w:after"), qn("w:firstLine")
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_FIRST_LINE_TWIPS = str(round(L.FIRST_LINE_INDENT_CM / 2.54 * 1440))


def _ppr(p_el, align: str, before: float, after: float, indent: bool, keep_next: bool) -> None:
    """Write the paragraph properties of a new, empty ``w:p`` directly (schema order: keepNext,
    spacing, ind, jc); same XML as python-docx's ``paragraph_format`` setters, built faster."""
    ppr = p_el.find(_W_PPR)
    if ppr is None:
        ppr = etree.SubElement(p_el, _W_PPR)
    if keep_next:
        etree.SubElement(ppr, _W_KEEPNEXT)
    spacing = etree.SubElement(ppr, _W_SPACING)
    spacing.set(_W_BEFORE, str(round(before * 20)))
    spacing.set(_W_AFTER, str(round(after * 20)))
    if indent:
        etree.SubElement(ppr, _W_IND).set(_W_FIRSTLINE, _FIRST_LINE_TWIPS)
    etree.SubElement(ppr, _W_JC).set(_W_VAL, _JC[align])


def _runs(p_el, text: str, size: float, bold: bool, italic: bool, color: str | None = None) -> None:
    """Append runs for ``text`` (``\n`` becomes a line break) to the ``w:p`` element.

    Built with lxml directly: the python-docx property setters cost ~10x more per run, and a
    dossier has thousands of runs. Child order follows the schema (b, i, color, sz, szCs).
    """
    half_points = str(round(size * 2))
    for i, line in enumerate(shown(text).split("\n")):
        r = etree.SubElement(p_el, _W_R)
        rpr = etree.SubElement(r, _W_RPR)
        if bold:
            etree.SubElement(rpr, _W_B)
        if italic:
            etree.SubElement(rpr, _W_I)
        if color:
            etree.SubElement(rpr, _W_COLOR).set(_W_VAL, color)
        etree.SubElement(rpr, _W_SZ).set(_W_VAL, half_points)
        etree.SubElement(rpr, _W_SZCS).set(_W_VAL, half_points)
        if i:
            etree.SubElement(r, _W_BR)
        t = etree.SubElement(r, _W_T)
        t.text = line
        if line != line.strip():
            t.set(_XML_SPACE, "preserve")


def _set_fonts(rpr) -> None:
    """Name Times New Roman for every script slot (ascii, hAnsi, eastAsia, cs) and drop theme fonts,
    so Word uses it for Vietnamese letters whatever script class it assigns them."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), L.FONT)


def _setup_styles(document) -> None:
    styles = document.styles
    # document defaults
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr)
    normal = styles["Normal"]
    normal.font.name = L.FONT
    normal.font.size = Pt(L.BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.widow_control = True


def _setup_section(document, doc: OfficialDocument) -> None:
    section = document.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(L.PAGE_H_MM), Mm(L.PAGE_W_MM)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(L.PAGE_W_MM), Mm(L.PAGE_H_MM)
    if doc.layout == "certificate":
        m = Mm(L.CERT_MARGIN_MM)
        section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = m
        _page_border(section)
        return
    section.top_margin = _margin(L.MARGIN_TOP_MM)
    section.bottom_margin = _margin(L.MARGIN_BOTTOM_MM)
    section.left_margin = _margin(L.MARGIN_LEFT_MM)
    section.right_margin = _margin(L.MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers from page 2, centred at the top: a PAGE field in the header, empty first page.
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(para)


def _margin(mm: int) -> Twips:
    """``mm`` in whole twips, rounded up: Word stores twips, and 15 mm (850.39 twips) rounded to the
    nearest is 850 twips, 14.993 mm, under the decree's minimum right margin."""
    return Twips(-(-mm * 14400 // 254))


def _page_field(para) -> None:
    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    for part in ("begin", "instr", "separate", "text", "end"):
        run = para.add_run()
        run.font.size = Pt(L.PAGE_NUMBER_PT)
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif part == "text":
            run.text = "2"
        else:
            run._r.append(fld(part))


def _page_border(section) -> None:
    sect_pr = section._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "double")
        el.set(qn("w:sz"), "18")
        el.set(qn("w:space"), "24")
        el.set(qn("w:color"), "B01010")
        borders.append(el)
    # pgBorders must come after pgMar/pgSz-related children in schema order; place after pgMar.
    pg_mar = sect_pr.find(qn("w:pgMar"))
    if pg_mar is not None:
        pg_mar.addnext(borders)
    else:  # pragma: no cover
        sect_pr.append(borders)


def _para(
    container,
    text: str = "",
    *,
    size: float = L.BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    color: RGBColor | None = None,
    lead: str | None = None,
    keep_next: bool = False,
):
    para = container.add_paragraph()
    _ppr(para._p, align, before, after, indent, keep_next)
    if lead:
        _runs(para._p, lead + " ", size, True, italic)
    _runs(para._p, text, size, bold, italic, str(color) if color is not None else None)
    return para


def _rule(container, width_cm: float, cell_width_cm: float):
    """A centred horizontal line ``width_cm`` long: an empty 2 pt paragraph whose bottom border is
    cut to length by equal left and right indents (Word draws paragraph borders between indents)."""
    para = container.add_paragraph()
    fmt = para.paragraph_format
    side = max((cell_width_cm - width_cm) / 2, 0)
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(2)
    fmt.line_spacing = Pt(2)
    run = para.add_run()
    run.font.size = Pt(2)
    ppr = para._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    ppr.insert(0, bdr)  # schema order: pBdr precedes spacing, ind and jc (there is no pStyle)
    return para


def _cell_text_clear(cell) -> None:
    """Remove the empty paragraph python-docx puts in a new cell (call after adding content)."""
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _tblpr_set(tbl_pr, el) -> None:
    """Put ``el`` into ``w:tblPr`` at its schema position (Word rejects out-of-order children)."""
    name = el.tag.rsplit("}", 1)[1]
    old = tbl_pr.find(qn(f"w:{name}"))
    if old is not None:
        tbl_pr.remove(old)
    later = _TBLPR_ORDER[_TBLPR_ORDER.index(name) + 1 :]
    tbl_pr.insert_element_before(el, *(f"w:{n}" for n in later))


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _tblpr_set(tbl_pr, borders)


def _cell_margins(table, left_cm: float, right_cm: float) -> None:
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("left", left_cm), ("right", right_cm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value / 2.54 * 1440)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _tblpr_set(tbl_pr, mar)


def _fixed_table(container, rows: int, widths_cm: tuple[float, ...], grid: bool):
    table = container.add_table(rows=rows, cols=len(widths_cm))
    if grid:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_layout = OxmlElement("w:tblLayout")
    tbl_layout.set(qn("w:type"), "fixed")
    _tblpr_set(table._tbl.tblPr, tbl_layout)
    # the widths in twips on the grid and on every cell, with lxml: python-docx's ``cell.width``
    # walks the whole table for each cell (same XML, ~20x the time on a 30-row table)
    twips = [str(Cm(width).twips) for width in widths_cm]
    tbl = table._tbl
    for grid_col, w in zip(tbl.tblGrid.iterchildren(_W_GRIDCOL), twips, strict=True):
        grid_col.set(_W_W, w)
    for tr in tbl.iterchildren(_W_TR):
        for tc, w in zip(tr.iterchildren(_W_TC), twips, strict=True):
            tc.find(_W_TCPR).find(_W_TCW).set(_W_W, w)
    return table


# --------------------------------------------------------------------------------- the parts
def _header(document, doc: OfficialDocument) -> None:
    date_line = vn_date_line(doc.place, doc.date, doc.year)
    number_line = doc.number_line()
    if not doc.issuer:
        # a personal form: the Quốc hiệu and Tiêu ngữ centred alone, the date line under them
        width = L.text_width_cm(doc.landscape)
        _para(document, L.QUOC_HIEU, size=L.QUOC_HIEU_PT, bold=True, align="center")
        _para(document, L.TIEU_NGU, size=L.TIEU_NGU_PT, bold=True, align="center")
        _rule(document, L.measure_cm(L.TIEU_NGU, L.TIEU_NGU_PT, bold=True), width)
        _para(document, date_line, size=L.DATE_PT, italic=True, align="center", before=4)
        return
    left_w, right_w = L.HEADER_COLS_CM[doc.landscape]
    table = _fixed_table(document, 2, (left_w, right_w), grid=False)
    _cell_margins(table, 0, 0)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells

    issuer_lines = doc.issuer.split("\n")
    if doc.parent_body:
        _para(top_left, doc.parent_body, size=L.ISSUER_PT, align="center")
    _para(top_left, doc.issuer, size=L.ISSUER_PT, bold=True, align="center")
    longest = max(L.measure_cm(line, L.ISSUER_PT, bold=True) for line in issuer_lines)
    _rule(top_left, min(longest, left_w) * 0.4, left_w)
    _cell_text_clear(top_left)

    _para(top_right, L.QUOC_HIEU, size=L.QUOC_HIEU_PT, bold=True, align="center")
    _para(top_right, L.TIEU_NGU, size=L.TIEU_NGU_PT, bold=True, align="center")
    _rule(top_right, L.measure_cm(L.TIEU_NGU, L.TIEU_NGU_PT, bold=True), right_w)
    _cell_text_clear(top_right)

    _para(bottom_left, number_line, size=L.NUMBER_PT, align="center", before=4)
    _cell_text_clear(bottom_left)
    _para(bottom_right, date_line, size=L.DATE_PT, italic=True, align="center", before=4)
    _cell_text_clear(bottom_right)


def _title(document, doc: OfficialDocument) -> None:
    _para(document, doc.doc_type, size=L.BODY_PT, bold=True, align="center", before=18)
    if doc.subject:
        _para(document, doc.subject, size=L.BODY_PT, bold=True, align="center")
        _rule(document, 3.0, L.text_width_cm(doc.landscape))
    if doc.recipient_line:
        _para(document, doc.recipient_line, size=L.BODY_PT, align="center", before=12, after=6)
    else:
        _para(document, "", size=6)


def _signature_cell(cell, sig: Signature, width_cm: float) -> None:
    for line in sig.authority_lines:
        _para(cell, line, size=L.BODY_PT, bold=True, align="center")
    if sig.note:
        _para(cell, sig.note, size=L.BODY_PT - 1, italic=True, align="center")
    _para(cell, sig.signer_name, size=L.BODY_PT, bold=True, align="center", before=76)
    _cell_text_clear(cell)


def _keep_last_paragraph_with_next(document) -> None:
    """Keep the text that ends the body on the page of what comes next (a signature never stands alone
    at the top of a page, as in the PDF): the last paragraph with text, and any empty spacing after it,
    get ``keepNext``; when the body ends with a table (a ranking), its last row does — every paragraph of
    the row, which Word and LibreOffice read as the row kept with what follows — and the row is not split."""
    body = document.element.body
    for el in reversed(list(body.iterchildren(_W_P, qn("w:tbl")))):
        if el.tag != _W_P:
            rows = el.findall(_W_TR)
            if rows:
                for p_el in rows[-1].iter(_W_P):
                    _keep_next(p_el)
                tr_pr = rows[-1].find(qn("w:trPr"))
                if tr_pr is None:
                    tr_pr = etree.Element(qn("w:trPr"))
                    rows[-1].insert(0 if rows[-1].find(qn("w:tblPrEx")) is None else 1, tr_pr)
                if tr_pr.find(qn("w:cantSplit")) is None:
                    etree.SubElement(tr_pr, qn("w:cantSplit")).set(_W_VAL, "true")
            return
        _keep_next(el)
        if any(t.text for t in el.iter(_W_T)):
            return


def _keep_next(p_el) -> None:
    """Give an existing ``w:p`` ``keepNext`` (first in its properties but for its style, as the schema orders)."""
    ppr = p_el.find(_W_PPR)
    if ppr is None:
        ppr = etree.Element(_W_PPR)
        p_el.insert(0, ppr)
    if ppr.find(_W_KEEPNEXT) is None:
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, etree.Element(_W_KEEPNEXT))


def _signature_pair(document, block: Signatures, width: float) -> None:
    """Two signatures side by side; the names share the second row so they line up."""
    _keep_last_paragraph_with_next(document)
    table = _fixed_table(document, 2, (width / 2, width / 2), grid=False)
    _cell_margins(table, 0, 0)
    for cell, sig in zip(table.rows[0].cells, (block.left, block.right), strict=True):
        _para(cell, "", size=6, keep_next=True)  # every paragraph of the row: the names' row follows it
        for line in sig.authority_lines:
            _para(cell, line, bold=True, align="center", keep_next=True)
        if sig.note:
            _para(cell, sig.note, size=L.BODY_PT - 1, italic=True, align="center", keep_next=True)
        _cell_text_clear(cell)
    for cell, sig in zip(table.rows[1].cells, (block.left, block.right), strict=True):
        _para(cell, sig.signer_name, bold=True, align="center", before=76)
        _cell_text_clear(cell)
    for row in table.rows:
        _cant_split(row)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _signature_block(document, doc: OfficialDocument) -> None:
    sig = doc.signature
    if sig is None and not doc.recipients:
        return
    width = L.text_width_cm(doc.landscape)
    left_w = round(width * 0.45, 2)
    _keep_last_paragraph_with_next(document)
    table = _fixed_table(document, 1, (left_w, width - left_w), grid=False)
    _cell_margins(table, 0, 0)
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    if doc.recipients:
        _para(left, "Nơi nhận:", size=L.NOI_NHAN_LABEL_PT, bold=True, italic=True, before=6)
        for item in doc.recipients:
            _para(left, f"- {item}", size=L.NOI_NHAN_PT)
    _cell_text_clear(left)
    if sig is not None:
        _para(right, "", size=6)
        _signature_cell(right, sig, width - left_w)
        _cell_text_clear(right)


def _table(document, block: Table, landscape: bool) -> None:
    width = L.text_width_cm(landscape)
    widths = tuple(round(f * width, 3) for f in block.col_fractions())
    table = _fixed_table(document, 1 + len(block.rows), widths, grid=True)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    trs = list(table._tbl.iterchildren(_W_TR))
    for tc, text in zip(trs[0].iterchildren(_W_TC), block.headers, strict=True):
        _fill(tc, text, block.font_size, bold=True, align="center")
    last = len(block.rows) - 1
    aligns = [block.col_align(c) for c in range(len(block.headers))]
    for r, (tr, values) in enumerate(zip(trs[1:], block.rows, strict=True)):
        bold = block.bold_last_row and r == last
        for tc, text, align in zip(tr.iterchildren(_W_TC), values, aligns, strict=True):
            _fill(tc, text, block.font_size, bold=bold, align=align)
    _para(document, "", size=4)


def _fill(tc, text: str, size: float, *, bold: bool, align: str) -> None:
    """Fill the empty paragraph of a new cell (``w:tc``)."""
    p_el = tc.find(_W_P)
    _ppr(p_el, align, 2, 2, False, False)
    _runs(p_el, text, size, bold, False)


def _blocks(document, doc: OfficialDocument, cert: bool) -> None:
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _para(
                document,
                block.text,
                size=block.size or L.BODY_PT,
                bold=block.bold,
                italic=block.italic,
                align=block.align,
                indent=block.indent,
                before=0 if cert else L.PARA_SPACING_PT,
                after=8 if cert else 0,
                lead=block.lead,
            )
        elif isinstance(block, Heading):
            _para(
                document,
                block.text,
                bold=True,
                align=block.align,
                indent=block.align != "center",
                before=L.PARA_SPACING_PT,
                keep_next=True,
            )
        elif isinstance(block, Bullets):
            for item in block.items:
                _para(document, f"- {item}", align="justify", indent=True, before=L.PARA_SPACING_PT)
        elif isinstance(block, Table):
            _table(document, block, doc.landscape)
        elif isinstance(block, Spacer):
            _para(document, "", size=2, before=block.points)
        elif isinstance(block, Signatures):
            _signature_pair(document, block, L.text_width_cm(doc.landscape))
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"unknown block {type(block).__name__}")


def _certificate(document, doc: OfficialDocument) -> None:
    width = L.PAGE_H_MM / 10 - 2 * L.CERT_MARGIN_MM / 10
    _para(document, L.QUOC_HIEU, size=L.QUOC_HIEU_PT, bold=True, align="center", before=6)
    _para(document, L.TIEU_NGU, size=L.TIEU_NGU_PT, bold=True, align="center")
    _rule(document, L.measure_cm(L.TIEU_NGU, L.TIEU_NGU_PT, bold=True), width)
    _para(document, doc.issuer, size=16, bold=True, align="center", before=30)
    _para(document, "TẶNG", size=16, bold=True, align="center", before=10)
    _para(document, doc.doc_type, size=40, bold=True, align="center", before=10, after=10, color=_CERT_RED)
    _blocks(document, doc, cert=True)
    left_w = round(width * 0.45, 2)
    _para(document, "", size=2, before=14)
    table = _fixed_table(document, 1, (left_w, width - left_w), grid=False)
    left, right = table.rows[0].cells
    _para(left, "", size=6)
    decision = doc.decision_line()
    if decision:
        _para(left, decision, size=12, align="center", before=60)
    _cell_text_clear(left)
    _para(right, vn_date_line(doc.place, doc.date, doc.year), size=L.DATE_PT, italic=True, align="center", before=6)
    if doc.signature is not None:
        _signature_cell(right, doc.signature, width - left_w)
    _cell_text_clear(right)


# Styles the renderer uses (besides the defaults): grid tables and the page-number header.
_USED_STYLES = ("TableGrid", "Header", "Footer")
_DROPPED_PARTS = ("/stylesWithEffects", "/thumbnail")  # relationship types (their last path segment)


def _prune_styles(styles) -> None:
    """Keep only the default styles, those the renderer uses, and the styles they are based on or
    linked to. python-docx's template carries ~160 styles (336 KB of XML) that every document
    would otherwise parse, serialise and compress again."""
    by_id = {el.get(qn("w:styleId")): el for el in styles.iterchildren(qn("w:style"))}
    todo = [sid for sid, el in by_id.items() if el.get(qn("w:default")) in ("1", "true")]
    todo.extend(_USED_STYLES)
    keep: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for sid, el in by_id.items():
        if sid not in keep:
            styles.remove(el)


@lru_cache(maxsize=1)
def _template() -> bytes:
    """python-docx's default template with our styles, prepared once per process.

    Made small, which makes every later open and save of it cheaper: the latent-style table (~370
    entries), the unused styles, the Word 2010 copy of the styles (stylesWithEffects.xml, 438 KB)
    and the thumbnail of an empty page are dropped.
    """
    document = Document()
    _setup_styles(document)
    latent = document.styles.element.find(qn("w:latentStyles"))
    if latent is not None:
        latent.getparent().remove(latent)
    _prune_styles(document.styles.element)
    for owner in (document.part, document.part.package):
        for rel in list(owner.rels.values()):
            if rel.reltype.endswith(_DROPPED_PARTS):
                del owner.rels[rel.rId]
    body = document._body._body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(doc: OfficialDocument) -> bytes:
    """Render ``doc`` as a .docx file (A4, Decree 30/2020 layout) and return its bytes."""
    document = Document(io.BytesIO(_template()))
    _setup_section(document, doc)
    core = document.core_properties
    core.title = printable(doc.title or doc.doc_type)
    core.language = "vi-VN"
    core.author = printable(doc.issuer).replace("\n", " ") or "Thi Đua DVC"
    if doc.layout == "certificate":
        _certificate(document, doc)
    else:
        _header(document, doc)
        _title(document, doc)
        _blocks(document, doc, cert=False)
        _signature_block(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
