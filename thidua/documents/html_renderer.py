"""Render an :class:`~thidua.documents.model.OfficialDocument` to HTML (web preview).

The HTML is standalone: inline CSS, no external resources, print ``@page`` rules for a browser's
print dialog. :func:`render_pdf` lives here for compatibility; it draws the same layout with
ReportLab (:mod:`.pdf_renderer`), which is many times faster than an HTML-to-PDF engine.
"""

from __future__ import annotations

import re
from html import escape

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
from .text import shown, vn_date_line

__all__ = ["document_css", "render_html", "render_pdf"]


def _page_css(doc_layout: str, landscape: bool) -> str:
    size = "A4 landscape" if landscape else "A4"
    if doc_layout == "certificate":
        return f"""
@page {{ size: {size}; margin: {L.CERT_MARGIN_MM}mm;
  border: 4.5pt double #b01010; padding: 6mm 10mm; }}
"""
    return f"""
@page {{
  size: {size};
  margin: {L.MARGIN_TOP_MM}mm {L.MARGIN_RIGHT_MM}mm {L.MARGIN_BOTTOM_MM}mm {L.MARGIN_LEFT_MM}mm;
  @top-center {{ content: counter(page); font-family: {L.CSS_FONT_STACK};
    font-size: {L.PAGE_NUMBER_PT}pt; vertical-align: middle; }}
}}
@page :first {{ @top-center {{ content: none; }} }}
"""


_BASE_CSS = f"""
html {{ color: #000; background: #fff; }}
body {{ margin: 0; font-family: {L.CSS_FONT_STACK}; font-size: {L.BODY_PT}pt; line-height: 1.15;
  font-kerning: normal; }}
p {{ margin: 0; }}
table {{ border-collapse: collapse; }}
.doc-header {{ width: 100%; table-layout: fixed; }}
.doc-header td {{ padding: 0; vertical-align: top; text-align: center; }}
.parent {{ font-size: {L.ISSUER_PT}pt; white-space: nowrap; }}
.issuer-box {{ display: inline-block; }}
.issuer {{ font-size: {L.ISSUER_PT}pt; font-weight: bold; }}
.rule {{ border-top: 0.75pt solid #000; margin: 1.5pt auto 0; height: 0; }}
.issuer-box .rule {{ width: 40%; }}
.qh {{ font-size: {L.QUOC_HIEU_PT}pt; font-weight: bold; white-space: nowrap; }}
.tn {{ display: inline-block; font-size: {L.TIEU_NGU_PT}pt; font-weight: bold;
  border-bottom: 0.75pt solid #000; padding-bottom: 1pt; white-space: nowrap; }}
.number {{ font-size: {L.NUMBER_PT}pt; padding-top: 4pt !important; white-space: pre; }}
.dateline {{ font-size: {L.DATE_PT}pt; font-style: italic; padding-top: 4pt !important; }}
.solo {{ text-align: center; }}
.doc-type {{ font-size: {L.BODY_PT}pt; font-weight: bold; text-align: center; margin: 18pt 0 0; }}
.subject {{ font-weight: bold; text-align: center; }}
.subject-rule {{ width: 3cm; margin-top: 5pt; }}
.recipient-line {{ text-align: center; margin: 12pt 0 6pt; }}
.gap {{ height: 6pt; }}
.body p, .body h2 {{ margin: {L.PARA_SPACING_PT}pt 0 0; text-align: justify; }}
.body h2 {{ font-size: {L.BODY_PT}pt; font-weight: bold; text-indent: {L.FIRST_LINE_INDENT_CM}cm;
  break-after: avoid; }}
.body h2.center {{ text-align: center; text-indent: 0; }}
.body p.indent {{ text-indent: {L.FIRST_LINE_INDENT_CM}cm; }}
.body .b {{ font-weight: bold; }} .body .i {{ font-style: italic; }}
.al-left {{ text-align: left !important; }} .al-center {{ text-align: center !important; }}
.al-right {{ text-align: right !important; }} .al-justify {{ text-align: justify !important; }}
table.grid {{ width: 100%; table-layout: fixed; margin: 6pt 0 4pt; }}
table.grid th, table.grid td {{ border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: middle;
  line-height: 1.15; }}
table.grid th {{ font-weight: bold; text-align: center; }}
table.grid thead {{ display: table-header-group; }}
table.grid tr {{ break-inside: avoid; }}
table.grid tr.total td {{ font-weight: bold; }}
.sign {{ width: 100%; table-layout: fixed; margin-top: 6pt; break-inside: avoid; break-before: avoid; }}
.sign.pair .signature {{ padding-top: 0 !important; }}
.sign td {{ vertical-align: top; padding: 0; }}
.noi-nhan {{ font-size: {L.NOI_NHAN_PT}pt; line-height: 1.15; }}
.noi-nhan .label {{ font-size: {L.NOI_NHAN_LABEL_PT}pt; font-weight: bold; font-style: italic;
  margin-top: 6pt; }}
.signature {{ text-align: center; padding-top: 6pt !important; }}
.signature .authority {{ font-weight: bold; }}
.signature .note {{ font-style: italic; font-size: {L.BODY_PT - 1}pt; }}
.signature .name {{ font-weight: bold; margin-top: 76pt; }}
.cert {{ text-align: center; }}
.cert .qh {{ margin-top: 2pt; }}
.cert .issuer {{ font-size: 16pt; margin-top: 30pt; }}
.cert .tang {{ font-size: 16pt; font-weight: bold; margin-top: 10pt; }}
.cert .title {{ font-size: 40pt; font-weight: bold; color: #b01010; margin: 10pt 0 10pt;
  letter-spacing: 1pt; }}
.cert .body p {{ margin: 0 0 8pt; text-indent: 0; }}
.cert .foot {{ margin-top: 18pt; }}
.cert .decision {{ font-size: 12pt; padding-top: 66pt !important; text-align: center; }}
"""

_SCREEN_CSS = """
@media screen {
  html { background: #e9e9e9; }
  body { padding: 16px 0; }
  .page { background: #fff; margin: 0 auto; box-shadow: 0 1px 6px rgba(0,0,0,.25);
    box-sizing: border-box; }
}
"""


def document_css(doc: OfficialDocument) -> str:
    """The full stylesheet for ``doc`` (print page rules, document styles, screen preview)."""
    return _page_css(doc.layout, doc.landscape) + _BASE_CSS + _screen_page_css(doc) + _SCREEN_CSS


def _screen_page_css(doc: OfficialDocument) -> str:
    w, h = (L.PAGE_H_MM, L.PAGE_W_MM) if doc.landscape else (L.PAGE_W_MM, L.PAGE_H_MM)
    if doc.layout == "certificate":
        pad = f"{L.CERT_MARGIN_MM + 6}mm {L.CERT_MARGIN_MM + 10}mm"
        return (
            f"@media screen {{ .page {{ width: {w}mm; min-height: {h}mm; padding: {pad};"
            " border: 4.5pt double #b01010; }} }}\n"
        )
    pad = f"{L.MARGIN_TOP_MM}mm {L.MARGIN_RIGHT_MM}mm {L.MARGIN_BOTTOM_MM}mm {L.MARGIN_LEFT_MM}mm"
    return f"@media screen {{ .page {{ width: {w}mm; min-height: {h}mm; padding: {pad}; }} }}\n"


# ------------------------------------------------------------------------------------ markup
_SPACES = re.compile(r" {2,}")


def _t(text: str) -> str:
    """Escape ``text``; keep runs of spaces (blank numbers and dates) and line breaks."""
    text = _SPACES.sub(lambda m: "\u00a0" * len(m.group()), shown(text))
    return escape(text).replace("\n", "<br>")


def _header(doc: OfficialDocument) -> str:
    date_line = _t(vn_date_line(doc.place, doc.date, doc.year))
    tieu_ngu = f'<div class="qh">{L.QUOC_HIEU}</div><div class="tn">{L.TIEU_NGU}</div>'
    if not doc.issuer:
        return f'<div class="solo">{tieu_ngu}<div class="dateline">{date_line}</div></div>'
    left_w, right_w = L.HEADER_COLS_CM[doc.landscape]
    parent = f'<div class="parent">{_t(doc.parent_body)}</div>' if doc.parent_body else ""
    return (
        '<table class="doc-header">'
        f'<colgroup><col style="width:{left_w}cm"><col style="width:{right_w}cm"></colgroup>'
        f'<tr><td>{parent}<div class="issuer-box"><div class="issuer">{_t(doc.issuer)}</div>'
        '<div class="rule"></div></div></td>'
        f"<td>{tieu_ngu}</td></tr>"
        f'<tr><td class="number">{_t(doc.number_line())}</td>'
        f'<td class="dateline">{date_line}</td></tr></table>'
    )


def _title(doc: OfficialDocument) -> str:
    out = [f'<h1 class="doc-type">{_t(doc.doc_type)}</h1>']
    if doc.subject:
        out.append(f'<p class="subject">{_t(doc.subject)}</p><div class="rule subject-rule"></div>')
    if doc.recipient_line:
        out.append(f'<p class="recipient-line">{_t(doc.recipient_line)}</p>')
    else:
        out.append('<div class="gap"></div>')
    return "".join(out)


def _signature(sig: Signature) -> str:
    lines = "".join(f'<div class="authority">{_t(line)}</div>' for line in sig.authority_lines)
    note = f'<div class="note">{_t(sig.note)}</div>' if sig.note else ""
    return f'{lines}{note}<div class="name">{_t(sig.signer_name)}</div>'


def _signatures(block: Signatures) -> str:
    """Two signatures side by side; the names share a row so they line up."""

    def top(sig: Signature) -> str:
        lines = "".join(f'<div class="authority">{_t(line)}</div>' for line in sig.authority_lines)
        return lines + (f'<div class="note">{_t(sig.note)}</div>' if sig.note else "")

    return (
        '<table class="sign pair"><tr>'
        f'<td class="signature">{top(block.left)}</td><td class="signature">{top(block.right)}</td></tr>'
        f'<tr><td class="signature"><div class="name">{_t(block.left.signer_name)}</div></td>'
        f'<td class="signature"><div class="name">{_t(block.right.signer_name)}</div></td></tr></table>'
    )


def _table(block: Table) -> str:
    cols = "".join(f'<col style="width:{f * 100:.3f}%">' for f in block.col_fractions())
    head = "".join(f"<th>{_t(h)}</th>" for h in block.headers)
    rows = []
    last = len(block.rows) - 1
    for r, row in enumerate(block.rows):
        cls = ' class="total"' if block.bold_last_row and r == last else ""
        cells = "".join(f'<td class="al-{block.col_align(c)}">{_t(v)}</td>' for c, v in enumerate(row))
        rows.append(f"<tr{cls}>{cells}</tr>")
    return (
        f'<table class="grid" style="font-size:{block.font_size}pt"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _blocks(doc: OfficialDocument) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            classes = [f"al-{block.align}"]
            if block.indent:
                classes.append("indent")
            if block.bold:
                classes.append("b")
            if block.italic:
                classes.append("i")
            style = f' style="font-size:{block.size}pt"' if block.size else ""
            lead = f"<b>{_t(block.lead)}</b> " if block.lead else ""
            out.append(f'<p class="{" ".join(classes)}"{style}>{lead}{_t(block.text)}</p>')
        elif isinstance(block, Heading):
            cls = ' class="center"' if block.align == "center" else ""
            out.append(f"<h2{cls}>{_t(block.text)}</h2>")
        elif isinstance(block, Bullets):
            out.extend(f'<p class="indent">- {_t(item)}</p>' for item in block.items)
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Spacer):
            out.append(f'<div style="height:{block.points}pt"></div>')
        elif isinstance(block, Signatures):
            out.append(_signatures(block))
        else:  # pragma: no cover - the Block union is closed
            raise TypeError(f"unknown block {type(block).__name__}")
    return f'<div class="body">{"".join(out)}</div>'


def _signature_block(doc: OfficialDocument) -> str:
    if doc.signature is None and not doc.recipients:
        return ""
    noi_nhan = ""
    if doc.recipients:
        items = "".join(f"<div>- {_t(item)}</div>" for item in doc.recipients)
        noi_nhan = f'<div class="label">Nơi nhận:</div>{items}'
    sig = _signature(doc.signature) if doc.signature else ""
    return (
        '<table class="sign"><colgroup><col style="width:45%"><col style="width:55%"></colgroup>'
        f'<tr><td class="noi-nhan">{noi_nhan}</td><td class="signature">{sig}</td></tr></table>'
    )


def _certificate(doc: OfficialDocument) -> str:
    decision = _t(doc.decision_line())
    sig = _signature(doc.signature) if doc.signature else ""
    return (
        '<div class="cert">'
        f'<div class="qh">{L.QUOC_HIEU}</div><div class="tn">{L.TIEU_NGU}</div>'
        f'<div class="issuer">{_t(doc.issuer)}</div><div class="tang">TẶNG</div>'
        f'<div class="title">{_t(doc.doc_type)}</div>'
        f"{_blocks(doc)}"
        '<table class="sign foot"><colgroup><col style="width:45%"><col style="width:55%"></colgroup>'
        f'<tr><td class="decision">{decision}</td><td class="signature">'
        f'<div class="dateline">{_t(vn_date_line(doc.place, doc.date, doc.year))}</div>{sig}</td></tr></table>'
        "</div>"
    )


def _body(doc: OfficialDocument) -> str:
    if doc.layout == "certificate":
        return _certificate(doc)
    return _header(doc) + _title(doc) + _blocks(doc) + _signature_block(doc)


def _html(doc: OfficialDocument, css: str) -> str:
    title = _t(doc.title or doc.doc_type)
    style = f"<style>{css}</style>" if css else ""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{title}</title>{style}</head>"
        f'<body><article class="page">{_body(doc)}</article></body></html>'
    )


def render_html(doc: OfficialDocument) -> str:
    """A standalone HTML page (inline CSS, no external resources) for the web preview."""
    return _html(doc, document_css(doc))


# --------------------------------------------------------------------------------------- PDF
def render_pdf(doc: OfficialDocument) -> bytes:
    """Render ``doc`` to PDF bytes, same layout as this preview (see :mod:`.pdf_renderer`).

    ReportLab is imported on the first call, not with :mod:`thidua.documents`.
    """
    from .pdf_renderer import render_pdf as _render_pdf

    return _render_pdf(doc)
