"""Helpers for the document tests: the demo year-end dossier of Châu Thành A, rendered once."""

from __future__ import annotations

import io
import shutil
from datetime import date
from functools import cache

import pytest
from docx import Document
from docx.oxml.ns import qn

from thidua.documents import OfficialDocument, render_docx, year_end_dossier
from thidua.documents.demo import demo_district, demo_meeting, demo_plan, demo_proposals, demo_ranking

AS_OF = date(2021, 12, 18)
TO_TRINH_DATE = date(2021, 12, 16)
DECISION_DATE = date(2021, 12, 20)
DECISION_NUMBER = "1520/QĐ-UBND"

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts, ...) missing")


@cache
def dossier() -> dict[str, OfficialDocument]:
    ranking = demo_ranking()
    return dict(
        year_end_dossier(
            demo_district(),
            demo_plan(),
            demo_proposals(ranking),
            ranking,
            demo_meeting(),
            as_of=AS_OF,
            to_trinh_date=TO_TRINH_DATE,
            decision_number=DECISION_NUMBER,
            decision_date=DECISION_DATE,
        )
    )


@cache
def docx_bytes(stem: str) -> bytes:
    return render_docx(dossier()[stem])


def open_docx(stem: str):
    return Document(io.BytesIO(docx_bytes(stem)))


def paragraphs_text(element) -> list[str]:
    """Text of every paragraph under ``element`` (body, tables, nested cells), in order."""
    out = []
    t_tag, br_tag = qn("w:t"), qn("w:br")
    for p in element.iter(qn("w:p")):
        parts = []
        for el in p.iter(t_tag, br_tag):
            parts.append("\n" if el.tag == br_tag else el.text or "")
        out.append("".join(parts))
    return out


def docx_text(stem: str) -> str:
    return "\n".join(paragraphs_text(open_docx(stem).element.body))
