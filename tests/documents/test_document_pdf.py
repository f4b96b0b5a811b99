"""The PDF renderer: Vietnamese text survives, Liberation Serif is embedded, A4, nothing fetched."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date

from documents_support import dossier, needs_poppler, paragraphs_text
from docx import Document

from thidua.documents import (
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    giay_khen,
    render_docx,
    render_html,
    render_pdf,
)
from thidua.documents.demo import demo_district, demo_plan, demo_proposals

pytestmark = needs_poppler


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _text(path, first=None, last=None) -> str:
    pages = [] if first is None else ["-f", str(first), "-l", str(last or first)]
    return _run("pdftotext", "-enc", "UTF-8", *pages, str(path), "-")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_text_keeps_the_vietnamese_diacritics(pdf_path):
    text = _squash(_text(pdf_path("01-to-trinh")))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHÒNG NỘI VỤ",
        "Châu Thành A, ngày 16 tháng 12 năm 2021",
        "TỜ TRÌNH",
        "Kính gửi: Chủ tịch Ủy ban nhân dân huyện Châu Thành A",
        "thị trấn Một Ngàn",
        "xã Tân Hòa",
        "10.000.000 đ",
        "Hai mươi hai triệu đồng",
        "Nơi nhận:",
        "- Lưu: VT, PNV.",
        "TRƯỞNG PHÒNG",
        "Lê Thị Mỹ Hạnh",
    ):
        assert expected in text, expected


def test_the_ranking_pdf_names_the_units_as_registered(pdf_path):
    text = _squash(_text(pdf_path("03-bang-tong-hop")))
    for name in ("Thị trấn Một Ngàn", "Xã Tân Hòa", "Xã Trường Long Tây", "Phòng Lao động - Thương binh"):
        assert name in text, name


def test_only_liberation_serif_is_embedded(pdf_path):
    out = _run("pdffonts", str(pdf_path("01-to-trinh")))
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    # subsets are named "ABCDEF+LiberationSerif-Bold" (WeasyPrint wrote "ABCDEF+Liberation-Serif-Bold")
    names = {row[0].split("+", 1)[-1].replace("-", "") for row in rows}
    assert names <= {"LiberationSerif", "LiberationSerifBold", "LiberationSerifItalic", "LiberationSerifBoldItalic"}
    assert {"LiberationSerif", "LiberationSerifBold", "LiberationSerifItalic"} <= names
    for line in out.splitlines()[2:]:
        emb = line.split()[-5]  # columns: name type encoding emb sub uni object ID
        assert emb == "yes", line


def _page_size(path) -> tuple[float, float, int]:
    info = _run("pdfinfo", str(path))
    w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return float(w), float(h), pages


def test_headings_and_signatures_do_not_waste_pages(pdf_path):
    # a heading stays with what follows without pushing a whole table to the next page, and the
    # signatures follow the last paragraph: the individual report is one page, the Tờ trình four
    assert _page_size(pdf_path("05-bao-cao-X-TAN-HOA-01"))[2] == 1
    assert _page_size(pdf_path("01-to-trinh"))[2] == 4
    assert _page_size(pdf_path("03-bang-tong-hop"))[2] == 2


def test_table_columns_are_never_narrower_than_their_longest_word(pdf_path):
    text = _text(pdf_path("01-to-trinh"), 2)
    assert "STT" in text.split(), text[:300]  # not broken into "ST" / "T"


def test_the_pages_are_a4_portrait(pdf_path):
    w, h, pages = _page_size(pdf_path("01-to-trinh"))
    assert (round(w), round(h)) == (595, 842)
    assert pages >= 2


def test_the_certificate_is_one_a4_landscape_page(pdf_path):
    w, h, pages = _page_size(pdf_path("07-giay-khen-TT-MOT-NGAN"))
    assert (round(w), round(h)) == (842, 595)
    assert pages == 1
    text = _squash(_text(pdf_path("07-giay-khen-TT-MOT-NGAN")))
    for expected in (
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH A",
        "TẶNG",
        "GIẤY KHEN",
        "Ủy ban nhân dân thị trấn Một Ngàn",
        "Đã có thành tích xuất sắc",
        "(Hạng Nhất khối xã, thị trấn)",
        "Quyết định số: 1520/QĐ-UBND",
        "Châu Thành A, ngày 20 tháng 12 năm 2021",
        "Nguyễn Văn Thành",
    ):
        assert expected in text, expected


def test_the_scoring_summary_pdf_is_landscape(pdf_path):
    w, h, _ = _page_size(pdf_path("03-bang-tong-hop"))
    assert w > h


def test_the_page_number_starts_on_page_two_at_the_top(pdf_path):
    path = pdf_path("01-to-trinh")
    first = _text(path, 1).strip().splitlines()
    second = _text(path, 2).strip().splitlines()
    assert first[0].strip() != "1"
    assert second[0].strip() == "2"


def test_the_first_page_is_not_blank_when_rasterised(pdf_path, tmp_path):
    from PIL import Image

    prefix = tmp_path / "page"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path("01-to-trinh")),
            str(prefix),
        ],
        check=True,
    )
    image = Image.open(io.BytesIO((tmp_path / "page.png").read_bytes())).convert("L")
    assert abs(image.width - 413) <= 1 and abs(image.height - 585) <= 1  # A4 at 50 dpi
    dark = sum(image.histogram()[:128])
    assert dark > 2000, dark  # a page of text, not an empty sheet
    # the Quốc hiệu sits in the top right quarter
    top_right = image.crop((image.width // 2, 0, image.width, image.height // 8))
    assert sum(top_right.histogram()[:128]) > 100


def test_the_html_preview_is_standalone_and_escapes_user_text():
    doc = OfficialDocument(
        parent_body=None,
        issuer="PHÒNG NỘI VỤ",
        number=None,
        symbol="TB-PNV",
        place="Châu Thành A",
        date=date(2021, 6, 8),
        doc_type="THÔNG BÁO",
        subject=None,
        recipient_line=None,
        blocks=(Paragraph('<img src="http://example.invalid/x.png"> Xã Tân Hòa'),),
        signature=Signature(authority_lines=("TRƯỞNG PHÒNG",), signer_name="Lê Thị Mỹ Hạnh"),
    )
    html = render_html(doc)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="vi">' in html
    assert "<style>" in html and "<link" not in html
    assert "&lt;img" in html and "<img" not in html
    assert "Châu Thành A, ngày 08 tháng 6 năm 2021" in html
    # the PDF renders from the same HTML without loading anything
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF")


def test_the_pdf_renderer_never_loads_a_resource_named_in_user_text(tmp_path, monkeypatch):
    # ReportLab's paragraph markup can pull in images (local files, URLs) and other fonts; user text
    # is escaped, so the markup is printed as it was typed and nothing is opened.
    import reportlab.lib.utils

    opened = []

    def refuse(name, *args, **kwargs):
        opened.append(name)
        raise OSError(f"thidua.documents never loads external resources: {name}")

    render_pdf(dossier()["07-giay-khen-TT-MOT-NGAN"])  # fonts are loaded before the guard is set
    monkeypatch.setattr(reportlab.lib.utils, "open_for_read", refuse)
    monkeypatch.setattr(reportlab.lib.utils, "open_for_read_by_name", refuse)
    hostile = (
        '<img src="file:///etc/passwd"/> <img src="https://example.invalid/x.png"/> '
        '<font face="Courier">Xã Tân Hòa</font> <a href="https://example.invalid/">link</a> &amp; <b>'
    )
    doc = OfficialDocument(
        parent_body=None,
        issuer="PHÒNG NỘI VỤ",
        number=None,
        symbol="TB-PNV",
        place="Châu Thành A",
        date=date(2021, 6, 8),
        doc_type="THÔNG BÁO",
        subject=hostile,
        recipient_line=None,
        blocks=(Paragraph(hostile, lead="<i>"), Table(headers=("<br/>",), rows=((hostile,),))),
        signature=Signature(authority_lines=("TRƯỞNG PHÒNG",), signer_name=hostile),
        recipients=(hostile,),
    )
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render_pdf(doc))
    assert opened == []
    text = _squash(_text(path))
    assert text.count('<img src="file:///etc/passwd"/>') >= 5
    assert text.count('<font face="Courier">Xã Tân Hòa</font>') >= 5
    assert '<a href="https://example.invalid/">link</a> &amp; <b>' in text
    assert "<i>" in text and "<br/>" in text
    fonts = _run("pdffonts", str(path))
    assert "Courier" not in fonts and "Helvetica" not in fonts, fonts


def test_every_document_of_the_dossier_renders_to_pdf(pdf_path):
    for stem in ("02-bien-ban", "04-bao-cao-P-TNMT", "05-bao-cao-X-TAN-HOA-01", "06-quyet-dinh"):
        assert stem in dossier()
        text = _squash(_text(pdf_path(stem)))
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_an_unnumbered_certificate_leaves_the_decision_number_blank_for_the_clerk(tmp_path):
    # the Giấy khen names its decision (DOCUMENTS.md); before the Quyết định is numbered the line is
    # printed with the blank the clerk fills in, as the Quyết định's own "Số:      /QĐ-UBND"
    doc = giay_khen(demo_district(), demo_plan(), demo_proposals()[0])
    blank = "Quyết định số:      /QĐ-UBND"
    assert blank in paragraphs_text(Document(io.BytesIO(render_docx(doc))).element.body)
    assert "Quyết định số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/QĐ-UBND" in render_html(doc)
    path = tmp_path / "giay-khen.pdf"
    path.write_bytes(render_pdf(doc))
    assert "Quyết định số: /QĐ-UBND" in _squash(_text(path))


def test_a_name_typed_with_combining_marks_is_printed_with_precomposed_letters(tmp_path):
    # Unikey's "Unicode tổ hợp" types "Nguyễn" as e + circumflex + tilde: the PDF then drew the marks over
    # the "n", and no format let a search for the name as typed elsewhere find it
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Thu Trang")
    person = replace(demo_proposals()[0].individuals[1], full_name=decomposed)
    doc = giay_khen(demo_district(), demo_plan(), person, decision_number="1520/QĐ-UBND")
    path = tmp_path / "giay-khen.pdf"
    path.write_bytes(render_pdf(doc))
    assert "Bà Nguyễn Thị Thu Trang" in _squash(_text(path))
    assert "Bà Nguyễn Thị Thu Trang" in paragraphs_text(Document(io.BytesIO(render_docx(doc))).element.body)
    html = render_html(doc)
    assert "Bà Nguyễn Thị Thu Trang" in html and decomposed not in html
