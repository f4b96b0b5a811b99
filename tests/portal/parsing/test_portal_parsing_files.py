"""File type detection by content and whole-file errors."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from thidua.portal.parsing import PortalFileError, open_table, read_accounts, read_dossiers

NOSTREAM = 0xFFFFFFFF
PASSWORD = "Tệp được bảo vệ bằng mật khẩu; hãy mở khóa trong Excel rồi lưu lại trước khi nhập."


def _cfb(*names: str) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors) whose directory holds ``names``."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)  # minor, major, byte order, shift
    struct.pack_into("<H", header, 0x20, 6)
    struct.pack_into("<II", header, 0x2C, 1, 1)  # one FAT sector, directory starts at sector 1
    struct.pack_into("<III", header, 0x38, 4096, 0xFFFFFFFE, 0)
    struct.pack_into("<II", header, 0x44, 0xFFFFFFFE, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * 126
    fat_sector = struct.pack("<128I", *fat)
    directory = bytearray(512)
    entries = ("Root Entry", *names)[:4]
    for i, name in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        off = i * 128
        directory[off : off + len(raw)] = raw
        struct.pack_into("<H", directory, off + 0x40, len(raw))
        directory[off + 0x42] = 5 if i == 0 else 2  # root storage, stream
        directory[off + 0x43] = 1  # black
        # the tree: the root's child is entry 1, each stream's right sibling the next one
        left, right = NOSTREAM, (i + 1 if 0 < i < len(entries) - 1 else NOSTREAM)
        child = 1 if i == 0 and len(entries) > 1 else NOSTREAM
        struct.pack_into("<III", directory, off + 0x44, left, right, child)
        struct.pack_into("<I", directory, off + 0x74, 0xFFFFFFFE)  # start sector: none (empty)
    for off in range(len(entries) * 128, 512, 128):  # unused entries
        struct.pack_into("<III", directory, off + 0x44, NOSTREAM, NOSTREAM, NOSTREAM)
    return bytes(header) + fat_sector + bytes(directory)


def _error(path, **kw) -> str:
    with pytest.raises(PortalFileError) as exc:
        open_table(path, **kw)
    return exc.value.message


def test_samples_are_detected(samples):
    assert open_table(samples / "ho-so-mau.xlsx").file_type == "xlsx"
    assert open_table(samples / "tai-khoan-mau.xlsx").file_type == "xlsx"


def test_type_by_content_not_extension(tmp_path, write_xlsx, write_csv, dossier_row):
    xlsx = write_xlsx([dossier_row("A1")])
    renamed = tmp_path / "xuat.csv"
    os.replace(xlsx, renamed)
    assert open_table(renamed).file_type == "xlsx"
    csv_path = write_csv([dossier_row("A1")], name="ho-so.xlsx")
    table = open_table(csv_path)
    assert (table.file_type, table.delimiter) == ("csv", ";")


def test_png_renamed_to_xlsx(tmp_path):
    p = tmp_path / "bao-cao.xlsx"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    msg = _error(p)
    assert "ảnh PNG" in msg and "bao-cao.xlsx" in msg


def test_original_name_used_in_messages(tmp_path):
    p = tmp_path / "upload-123"
    p.write_bytes(b"%PDF-1.4\n" + os.urandom(100))
    assert "«ho so thang 3.xlsx»" in _error(p, original_name="ho so thang 3.xlsx")


def test_random_bytes(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_bytes(bytes(range(256)) * 4)
    assert "không phải bảng tính" in _error(p)


def test_corrupt_zip(tmp_path, write_xlsx, dossier_row):
    good = write_xlsx([dossier_row("A1")]).read_bytes()
    p = tmp_path / "hong.xlsx"
    p.write_bytes(good[: len(good) // 2])
    assert "bị hỏng" in _error(p)


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "xin chào")
    assert "tệp nén (zip)" in _error(p)


def test_a_zip_bomb_is_refused_before_its_sheet_is_read(tmp_path, monkeypatch, write_xlsx, dossier_row):
    """A workbook whose sheet unpacks to thousands of times the file (made to exhaust the server's memory)."""
    from thidua.portal.parsing import source

    monkeypatch.setattr(source, "UNPACK_FLOOR", 1024 * 1024)  # a small bomb for the test: 8 MB out of a few KB
    p = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", "<sheetData>" + " " * (8 * 1024 * 1024) + "</sheetData>")
    message = _error(p)
    assert message.startswith("Tệp «bom.xlsx» khi giải nén lên tới 8,0 MB, gấp ")
    assert "không phải bảng tính xuất bình thường (có thể là tệp hỏng hoặc tệp độc hại)" in message
    # an ordinary workbook, compressed as Excel does, is read
    assert open_table(write_xlsx([dossier_row("A1")])).file_type == "xlsx"


RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>'
        '</Relationships>')


def far_cell_workbook(path, sheet_data: str, *, prefix: str = "") -> None:
    """A workbook python-calamine opens, of about a kilobyte, whose one sheet holds ``sheet_data``
    (<row>…</row> elements) and declares its dimension as A1, whatever the cells are, as a crafted file would."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ns = f'xmlns{":" + prefix if prefix else ""}="{main}"'
    tag = f"{prefix}:" if prefix else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", RELS.format(kind="officeDocument", target="xl/workbook.xml"))
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
                    "</workbook>")
        zf.writestr("xl/_rels/workbook.xml.rels", RELS.format(kind="worksheet", target="worksheets/sheet1.xml"))
        zf.writestr("xl/worksheets/sheet1.xml", f'<{tag}worksheet {ns}><{tag}dimension ref="A1"/><{tag}sheetData>'
                    f"{sheet_data}</{tag}sheetData></{tag}worksheet>")


def sheet_cell(ref: str | None, text: str, prefix: str = "", quote: str = '"') -> str:
    tag = f"{prefix}:" if prefix else ""
    where = f" r={quote}{ref}{quote}" if ref else ""
    return f'<{tag}c{where} t="inlineStr"><{tag}is><{tag}t>{text}</{tag}t></{tag}is></{tag}c>'


def _extent_error(path) -> str:
    from thidua.portal.parsing import check_sheet_extent

    with pytest.raises(PortalFileError) as exc:
        check_sheet_extent(path, name=path.name)
    assert exc.value.reason == "sheet_too_large"
    return exc.value.message


def test_a_workbook_whose_cells_lie_far_apart_is_refused_before_it_is_read(tmp_path):
    """Two cells far apart (A1 and XFD1048576) in a file of about a kilobyte: python-calamine lays the sheet out
    as a whole rectangle, 17 billion cells, and the server's worker was killed trying (SIGABRT, no exception)."""
    from thidua.portal.parsing import check_sheet_extent

    p = tmp_path / "o-xa.xlsx"
    far_cell_workbook(p, f'<row r="1">{sheet_cell("A1", "Mã hồ sơ")}</row>'
                         f'<row r="1048576">{sheet_cell("XFD1048576", "x")}</row>')
    assert p.stat().st_size < 2048
    message = _extent_error(p)
    assert message == ("Tệp «o-xa.xlsx» có ô dữ liệu trải trên 1.048.576 dòng × 16.384 cột — không phải bảng tính "
                       "xuất bình thường (có thể là tệp hỏng hoặc tệp độc hại). Hãy mở bằng Excel, xóa các ô thừa nằm "
                       "xa vùng dữ liệu rồi lưu lại, hoặc xuất lại từ cổng dịch vụ công.")
    with open(p, "rb") as upload:  # an uploaded file: read from where it is, and left at its start
        upload.read(10)
        with pytest.raises(PortalFileError):
            check_sheet_extent(upload, name="o-xa.xlsx")
        assert upload.tell() == 0


@pytest.mark.parametrize("written", ["no-reference", "prefixed", "lower-case", "single-quoted", "spaced",
                                     "balanced"])
def test_far_cells_written_any_way_the_reader_reads_are_refused(tmp_path, written):
    """Cells without a reference take the next column (16,384 of them in a row: a few kilobytes), rows without one
    the next row; a namespace prefix, lower-case letters, other quotes or spaces around «=»: the reader reads
    them all, so does the check."""
    far_row = f'<row r="1048576">{sheet_cell("A1048576", "y")}</row>'
    empty_cells = '<c t="n"/>' * 16383
    sheet, prefix = {
        "no-reference": (f"<row>{empty_cells}{sheet_cell(None, 'x')}</row>{far_row}", ""),
        "prefixed": (f'<x:row r="1">{sheet_cell("XFD1", "x", "x")}</x:row>'
                     f'<x:row r="1048576">{sheet_cell("A1048576", "y", "x")}</x:row>', "x"),
        "lower-case": (f'<row r="1">{sheet_cell("xfd1", "x")}</row>{far_row}', ""),
        "single-quoted": (f'<row r="1">{sheet_cell("XFD1", "x", quote=chr(39))}</row>{far_row}', ""),
        "spaced": (f'<row r="1"><c t="inlineStr"\n  r = "XFD1"><is><t>x</t></is></c></row>{far_row}', ""),
        # as many references not in Excel's form as cells without one: the counts agree, the cells are far all the same
        "balanced": (f'<row r="1">{sheet_cell("A1", "x")}{sheet_cell(None, "z") * 16383}</row><row r="2">'
                     + '<c\tr="A2"/>' * 16383 + f"</row>{far_row}", ""),
    }[written]
    p = tmp_path / f"{written}.xlsx"
    far_cell_workbook(p, sheet, prefix=prefix)
    assert "1.048.576 dòng × 16.384 cột" in _extent_error(p)


def test_a_workbook_as_large_as_an_export_passes(tmp_path, write_xlsx, dossier_row):
    from thidua.portal.parsing import check_sheet_extent

    # a million rows of 32 columns (AF), more than a province's year
    p = tmp_path / "ca-nam.xlsx"
    far_cell_workbook(p, f'<row r="1">{sheet_cell("A1", "Mã hồ sơ")}</row>'
                         f'<row r="1048576">{sheet_cell("AF1048576", "x")}</row>')
    check_sheet_extent(p, name=p.name)
    check_sheet_extent(write_xlsx([dossier_row("A1")]), name="ho-so.xlsx")
    p2 = tmp_path / "ho-so.csv"
    p2.write_text("Mã hồ sơ,Tên\n", encoding="utf-8")
    check_sheet_extent(p2, name=p2.name)  # not a workbook: the reader says what it is


def test_word_document_renamed(tmp_path):
    p = tmp_path / "van-ban.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "văn bản Word" in _error(p)
    p2 = tmp_path / "van-ban.xls"
    p2.write_bytes(_cfb("WordDocument"))
    assert "văn bản Word" in _error(p2)


def test_password_protected_minimal_cfb(tmp_path):
    p = tmp_path / "mat-khau.xlsx"
    p.write_bytes(_cfb("EncryptionInfo", "EncryptedPackage"))
    assert _error(p) == PASSWORD


def test_damaged_compound_files(tmp_path):
    """The OLE2 signature with a directory that cannot be read: damaged, unless the encryption
    stream's name shows through (a password-protected workbook cut short)."""
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    cut = tmp_path / "cut.xls"
    cut.write_bytes(_cfb("Workbook")[:700])
    assert "bị hỏng" in _error(cut)
    garbage = tmp_path / "rac.xls"
    garbage.write_bytes(magic + bytes(range(256)) * 8)
    assert "bị hỏng" in _error(garbage)
    locked = tmp_path / "khoa.xlsx"
    locked.write_bytes(magic + bytes(600) + "EncryptionInfo".encode("utf-16-le") + bytes(600))
    assert _error(locked) == PASSWORD


def test_compound_file_of_another_kind(tmp_path):
    p = tmp_path / "khac.xls"
    p.write_bytes(_cfb("PowerPoint Document"))
    assert "không phải bảng tính Excel" in _error(p)
    assert open_table(_write(tmp_path / "bang.xls", _cfb("Workbook"))).file_type == "xls"


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_password_protected_real_workbook(tmp_path, write_xlsx, dossier_row):
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx([dossier_row("A1")])
    out = io.BytesIO()
    with open(plain, "rb") as f:
        OOXMLFile(f).encrypt("mat-khau-211", out)
    p = tmp_path / "bao-ve.xlsx"
    p.write_bytes(out.getvalue())
    assert msoffcrypto.olefile.isOleFile(str(p))
    assert _error(p) == PASSWORD
    with pytest.raises(PortalFileError, match="mật khẩu"):
        read_dossiers(p, units=None)


def test_legacy_xls(tmp_path, units):
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Ho so")
    ws.write(0, 0, "DANH SÁCH HỒ SƠ")
    header = ["STT", "Mã hồ sơ", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận", "Ngày tiếp nhận",
              "Ngày hẹn trả", "Ngày có kết quả"]
    for c, h in enumerate(header):
        ws.write(2, c, h)
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, code in enumerate(["XLS-1", "XLS-2"], start=3):
        for c, v in enumerate([r - 2, code, 3, "Trực tuyến", "Xã Tân Hoà"]):
            ws.write(r, c, v)
        ws.write(r, 5, 44256, date_style)  # 01/03/2021 as an Excel date number
        ws.write(r, 6, "05/03/2021")
        ws.write(r, 7, "")
    p = tmp_path / "cu.xls"
    wb.save(str(p))
    assert open_table(p).file_type == "xls"
    result = read_dossiers(p, units=units)
    assert result.ok, result.summary()
    assert [r.row for r in result.iter_rows()] == [4, 5]
    assert result.aggregates[("X-TAN-HOA", "2021-03")].online == 2


def test_empty_file(tmp_path):
    p = tmp_path / "rong.xlsx"
    p.write_bytes(b"")
    assert "rỗng (0 byte)" in _error(p)


def test_blank_text_file(tmp_path):
    p = tmp_path / "trang.csv"
    p.write_text("\ufeff  \r\n\r\n", encoding="utf-8")
    assert "không có dữ liệu" in _error(p)


@pytest.mark.parametrize(("reader", "what", "lines"), [
    (read_dossiers, "hồ sơ", ["DANH SÁCH HỒ SƠ", "", "Mã hồ sơ;Mức độ;Hình thức nộp;Đơn vị tiếp nhận;"
                              "Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả", "Tổng cộng;0"]),
    (read_accounts, "tài khoản", ["Tài khoản;Loại;Đơn vị;Ngày tạo"]),
], ids=["dossiers-with-totals", "accounts"])
def test_a_header_with_no_row_under_it_is_refused(tmp_path, units, reader, what, lines):
    p = tmp_path / "chi-tieu-de.csv"
    p.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    with pytest.raises(PortalFileError) as caught:
        reader(p, units=units)
    row = len(lines) - (1 if lines[-1].startswith("Tổng") else 0)
    assert caught.value.message == (f"Tệp chỉ có dòng tiêu đề (dòng {row}), không có dòng {what} nào bên dưới; "
                                    "hãy xuất lại danh sách từ cổng dịch vụ công.")


def test_over_size_limit(tmp_path):
    p = tmp_path / "lon.csv"
    p.write_bytes(b"a;b\n" * 1000)
    msg = _error(p, max_bytes=1024)
    assert "quá lớn (3,9 KB), vượt giới hạn 1 KB." in msg


def test_missing_file(tmp_path):
    assert "không tồn tại" in _error(tmp_path / "khong-co.csv")


def test_csv_not_utf8_names_first_bad_line(tmp_path, units):
    p = tmp_path / "windows.csv"
    lines = ["Mã hồ sơ;Mức độ;Hình thức nộp;Đơn vị tiếp nhận;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả"]
    lines += [f"A{i};3;Truc tuyen;X-TAN-HOA;01/03/2021;05/03/2021;" for i in range(5)]
    data = "\r\n".join(lines).encode("utf-8") + "\r\nB1;3;Online;Xã Tân Hòa;01/03/2021;05/03/2021;".encode(
        "cp1252")  # a legacy Windows code page
    p.write_bytes(data)
    with pytest.raises(PortalFileError) as exc:
        open_table(p)
    assert "không phải mã UTF-8" in exc.value.message and "dòng 7" in exc.value.message


def test_csv_not_utf8_after_the_sniffed_part(tmp_path, units):
    p = tmp_path / "dai.csv"
    head = "Mã hồ sơ;Mức độ;Hình thức nộp;Đơn vị tiếp nhận;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả\n"
    body = "".join(f"A{i};3;Trực tuyến;X-TAN-HOA;01/03/2021;05/03/2021;\n" for i in range(3000))
    p.write_bytes((head + body).encode() + "B;3;Online;Tân Hòa;01/03/2021;05/03/2021;\n".encode("cp1252"))
    with pytest.raises(PortalFileError, match="dòng 3002"):
        read_dossiers(p, units=units)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_utf16_says_how_to_save_it(tmp_path, encoding):
    """Excel's «Unicode Text (*.txt)», often renamed .csv, is UTF-16 with a byte-order mark."""
    p = tmp_path / "ho-so.csv"
    text = "Mã hồ sơ\tMức độ\tĐơn vị tiếp nhận\r\nA1\t3\tXã Tân Hòa\r\n"
    p.write_bytes(text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding))
    assert _error(p) == ("Tệp «ho-so.csv» là văn bản mã UTF-16 (kiểu «Unicode Text» của Excel), không phải CSV mã "
                         "UTF-8; hãy mở bằng Excel và lưu lại với kiểu «CSV UTF-8 (Comma delimited)», hoặc lưu dạng "
                         ".xlsx.")


def test_html_disguised_as_xls(tmp_path):
    p = tmp_path / "xuat.xls"
    p.write_text("<html><body><table><tr><td>Mã hồ sơ</td></tr></table></body></html>", encoding="utf-8")
    assert "HTML" in _error(p)


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", False), ("\t", True), (",", True)])
def test_csv_delimiters_and_bom(write_csv, units, dossier_row, delimiter, bom):
    p = write_csv([dossier_row("A1"), dossier_row("A2", procedure="Cấp bản sao, trích lục")],
                  delimiter=delimiter, bom=bom)
    table = open_table(p)
    assert table.delimiter == delimiter
    result = read_dossiers(p, units=units)
    assert result.ok and result.valid_rows == 2
    assert [r.procedure for r in result.iter_rows()] == ["Đăng ký khai sinh", "Cấp bản sao, trích lục"]


def test_no_header(write_csv, units):
    p = write_csv([["a", "b", "c"], ["1", "2", "3"]], header=None)
    with pytest.raises(PortalFileError, match="Không tìm thấy dòng tiêu đề"):
        read_dossiers(p, units=units)


def test_missing_required_column_names_it_with_aliases(write_csv, units, dossier_row):
    header = ["STT", "Mã hồ sơ", "Tên thủ tục", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận",
              "Ngày tiếp nhận", "Ghi chú", "Ngày có kết quả", "Trạng thái"]
    p = write_csv([dossier_row("A1")], header=header, title=[["DANH SÁCH HỒ SƠ"]])
    with pytest.raises(PortalFileError) as exc:
        read_dossiers(p, units=units)
    msg = exc.value.message
    assert msg.startswith("Thiếu cột «Ngày hẹn trả»")
    assert "Hạn xử lý" in msg and "Hạn giải quyết" in msg and "dòng 2" in msg


def test_accounts_missing_columns(write_csv, units):
    p = write_csv([["1", "0123", "Xã Tân Hòa"]], header=["STT", "Tài khoản", "Địa bàn"])
    with pytest.raises(PortalFileError, match="Thiếu cột «Ngày tạo»"):
        read_accounts(p, units=units)


def test_sheet_without_rows(tmp_path, units):
    from openpyxl import Workbook

    p = tmp_path / "trong.xlsx"
    Workbook().save(p)
    with pytest.raises(PortalFileError, match="không có dữ liệu"):
        read_dossiers(p, units=units)


def test_file_changed_between_phases(write_csv, units, dossier_row):
    p = write_csv([dossier_row("A1")])
    result = read_dossiers(p, units=units)
    with open(p, "a", encoding="utf-8") as f:
        f.write("1;A9;x;3;Trực tuyến;Xã Tân Hòa;01/03/2021;05/03/2021;;\n")
    with pytest.raises(PortalFileError, match="đã thay đổi"):
        list(result.iter_rows())


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods_workbook(path, rows: str) -> None:
    """An OpenDocument spreadsheet (.ods) python-calamine opens, its one sheet holding ``rows``."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                    'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
        zf.writestr("content.xml", f'<office:document-content {ODS_NS} office:version="1.2"><office:body>'
                    f'<office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet>'
                    "</office:body></office:document-content>", compress_type=zipfile.ZIP_DEFLATED)


def ods_cell(text: str, times: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{times}"' if times > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeat}><text:p>{text}</text:p></table:table-cell>'


def ods_empty(times: int) -> str:
    return f'<table:table-cell table:number-columns-repeated="{times}"/>'


def ods_row(cells: str, times: int = 1) -> str:
    repeat = f' table:number-rows-repeated="{times}"' if times > 1 else ""
    return f"<table:table-row{repeat}>{cells}</table:table-row>"


def test_an_ods_whose_cell_is_repeated_into_millions_is_refused_before_it_is_read(tmp_path):
    """«This cell 1,000 times» in «this row 90,000 times»: a file of about a kilobyte that the reader made into
    90 million copies of its value (11 GB, half a minute, in the server's worker)."""
    p = tmp_path / "lap-lai.ods"
    ods_workbook(p, ods_row(ods_cell("x", 1000), 90_000))
    assert p.stat().st_size < 2048
    assert _extent_error(p) == (
        "Tệp «lap-lai.ods» có ô dữ liệu lặp lại thành 90.000.000 ô — không phải bảng tính xuất bình thường (có thể là "
        "tệp hỏng hoặc tệp độc hại). Hãy mở bằng LibreOffice hoặc Excel, kiểm tra rồi lưu lại dạng .xlsx, hoặc xuất "
        "lại từ cổng dịch vụ công.")
    # and two cells far apart, empty repeated cells and rows between them
    p2 = tmp_path / "o-xa.ods"
    ods_workbook(p2, ods_row(ods_cell("Mã hồ sơ") + ods_empty(9_000)) + ods_row(ods_empty(1024), 9_000)
                 + ods_row(ods_empty(9_000) + ods_cell("x")))
    assert "9.002 dòng × 9.001 cột" in _extent_error(p2)


def test_an_ods_as_libreoffice_saves_it_passes(tmp_path):
    """LibreOffice writes the empty cells and rows up to the sheet's edge as repeated ones: no data, no refusal."""
    from thidua.portal.parsing import check_sheet_extent

    p = tmp_path / "ho-so.ods"
    ods_workbook(p, ods_row(ods_cell("Mã hồ sơ") + ods_cell("Tên") + ods_empty(1022))
                 + ods_row(ods_cell("H-1") + ods_cell("0", 2) + ods_empty(1021), 3)
                 + ods_row(ods_empty(1024), 1_048_572))
    check_sheet_extent(p, name=p.name)
    assert open_table(p).file_type == "ods"


def _xlsb_record(kind: int, payload: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 128 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, n = b"", len(payload)
    while True:
        size += bytes([(n & 0x7F) | (0x80 if n >> 7 else 0)])
        n >>= 7
        if not n:
            return head + size + payload


def _xlsb_text(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb_workbook(path, cells: list[tuple[int, int, str]]) -> None:
    """A binary workbook (.xlsb) python-calamine opens: ``cells`` (row, column, text), counted from 0, each in a
    row record of its own, after a dimension record that says A1 (BrtWsDim)."""
    sheet = _xlsb_record(129) + _xlsb_record(148, struct.pack("<IIII", 0, 0, 0, 0)) + _xlsb_record(145)
    for row, col, text in cells:
        sheet += _xlsb_record(0, struct.pack("<IIHBBBI", row, 0, 300, 0, 0, 0, 0))  # BrtRowHdr
        sheet += _xlsb_record(6, struct.pack("<I", col) + b"\0\0\0\0" + _xlsb_text(text))  # BrtCellSt
    sheet += _xlsb_record(146) + _xlsb_record(130)
    book = (_xlsb_record(131) + _xlsb_record(143) + _xlsb_record(156, struct.pack("<II", 0, 1) + _xlsb_text("rId1")
                                                                   + _xlsb_text("S"))
            + _xlsb_record(144) + _xlsb_record(132))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", RELS.format(kind="officeDocument", target="xl/workbook.bin"))
        zf.writestr("xl/_rels/workbook.bin.rels", RELS.format(kind="worksheet", target="worksheets/sheet1.bin"))
        zf.writestr("xl/workbook.bin", book)
        zf.writestr("xl/worksheets/sheet1.bin", sheet)


def test_an_xlsb_whose_cells_lie_far_apart_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """The binary workbook of about a kilobyte: the reader laid it out whole and the worker was killed (SIGABRT)."""
    from thidua.portal.parsing import check_sheet_extent, source

    p = tmp_path / "o-xa.xlsb"
    xlsb_workbook(p, [(0, 0, "Mã hồ sơ"), (1_048_575, 16_383, "x")])
    assert p.stat().st_size < 2048
    assert "Tệp «o-xa.xlsb» có ô dữ liệu trải trên 1.048.576 dòng × 16.384 cột" in _extent_error(p)
    # read in pieces smaller than a record: the same
    monkeypatch.setattr(source, "_SCAN_CHUNK", 3)
    assert "1.048.576 dòng × 16.384 cột" in _extent_error(p)
    # an export's worth of rows passes, however it is cut in pieces
    ok = tmp_path / "ho-so.xlsb"
    xlsb_workbook(ok, [(0, 0, "Mã hồ sơ")] + [(r, c, f"H-{r}-{c}") for r in range(1, 300) for c in range(10)])
    check_sheet_extent(ok, name=ok.name)
    assert open_table(ok).file_type == "xlsb"
    with zipfile.ZipFile(ok) as zf, zf.open("xl/worksheets/sheet1.bin") as stream:
        assert source._xlsb_extent(stream) == (300, 10)
