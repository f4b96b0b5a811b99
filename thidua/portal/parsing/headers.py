"""Field specs, header aliases and header-row detection."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import PortalFileError
from .text import fold


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # Vietnamese column name shown to the user
    required: bool
    aliases: tuple[str, ...]  # as users write them; folded at match time


DOSSIER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "Mã hồ sơ", True, (
        "Mã hồ sơ", "Số hồ sơ", "Mã HS", "Số HS", "Mã số hồ sơ", "Số biên nhận", "Mã biên nhận",
        "Mã hồ sơ một cửa", "Mã số biên nhận", "Dossier code")),
    FieldSpec("procedure", "Tên thủ tục", False, (
        "Tên thủ tục", "Thủ tục hành chính", "Mã thủ tục", "Tên thủ tục hành chính", "Thủ tục",
        "Tên TTHC", "TTHC", "Mã TTHC")),
    FieldSpec("level", "Mức độ", True, (
        "Mức độ", "Mức độ DVC", "Mức độ dịch vụ công", "Mức độ DVCTT", "Mức DVC", "Mức độ thủ tục",
        "Mức")),
    FieldSpec("channel", "Hình thức nộp", True, (
        "Hình thức nộp", "Kênh nộp", "Hình thức nộp hồ sơ", "Hình thức tiếp nhận", "Kênh tiếp nhận",
        "Kênh nộp hồ sơ", "Hình thức", "Kênh")),
    FieldSpec("unit", "Đơn vị tiếp nhận", True, (
        "Đơn vị tiếp nhận", "Cơ quan giải quyết", "Đơn vị", "Cơ quan tiếp nhận", "Đơn vị xử lý",
        "Đơn vị giải quyết", "Nơi tiếp nhận", "Cơ quan thực hiện", "Cơ quan")),
    FieldSpec("received_at", "Ngày tiếp nhận", True, (
        "Ngày tiếp nhận", "Ngày nhận", "Ngày nhận hồ sơ", "Ngày tiếp nhận hồ sơ", "Thời gian tiếp nhận",
        "Ngày nộp", "Ngày nộp hồ sơ", "Thời điểm tiếp nhận")),
    FieldSpec("due_at", "Ngày hẹn trả", True, (
        "Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết", "Ngày hẹn trả kết quả", "Hạn trả kết quả",
        "Ngày hẹn", "Hạn trả", "Thời hạn trả kết quả", "Hạn hoàn thành")),
    FieldSpec("resolved_at", "Ngày có kết quả", True, (
        "Ngày có kết quả", "Ngày trả kết quả", "Ngày hoàn thành", "Ngày kết thúc", "Ngày xử lý xong",
        "Ngày giải quyết xong", "Thời gian có kết quả", "Ngày kết thúc xử lý", "Ngày trả")),
    FieldSpec("status", "Trạng thái", False, (
        "Trạng thái", "Tình trạng", "Trạng thái hồ sơ", "Tình trạng xử lý", "Tình trạng hồ sơ")),
)

ACCOUNT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("account", "Tên đăng nhập", True, (
        "Tên đăng nhập", "Tài khoản", "Số CMND/CCCD", "Mã số thuế", "Tên tài khoản", "Số CCCD",
        "Số CMND", "CCCD", "CMND", "Số định danh", "Mã định danh", "Username", "Tài khoản đăng nhập")),
    FieldSpec("kind", "Loại tài khoản", False, (
        "Loại tài khoản", "Loại", "Đối tượng", "Loại người dùng", "Loại đối tượng")),
    FieldSpec("unit", "Đơn vị hướng dẫn", True, (
        "Đơn vị hướng dẫn", "Xã/Phường", "Địa bàn", "Xã/Thị trấn", "Xã/Phường/Thị trấn", "Đơn vị",
        "Địa phương", "Đơn vị hỗ trợ", "Đơn vị quản lý")),
    FieldSpec("created_at", "Ngày tạo", True, (
        "Ngày tạo", "Ngày đăng ký", "Thời gian tạo", "Ngày tạo tài khoản", "Thời gian đăng ký",
        "Ngày đăng ký tài khoản")),
)

IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "no", "#"})
HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class HeaderMapping:
    """Where the header is and which column feeds which field.

    ``row``: 1-based row number of the header; ``columns``: field -> 0-based column index;
    ``headers``: field -> header text as written in the file; ``unmapped``: other header texts.
    ``saved()`` gives the dict a user can store and pass back as ``mapping=``.
    """

    row: int
    columns: dict[str, int]
    headers: dict[str, str]
    unmapped: tuple[str, ...] = field(default=())

    def saved(self) -> dict[str, str]:
        return dict(self.headers)


def _alias_table(
    specs: Sequence[FieldSpec], mapping: Mapping[str, str] | None
) -> list[tuple[str, str, int]]:
    """(folded alias, field, priority) — user mapping first (priority -1)."""
    table: list[tuple[str, str, int]] = []
    keys = {s.key for s in specs}
    for key, header in (mapping or {}).items():
        if key not in keys:
            raise PortalFileError(f"Cấu hình cột đã lưu có trường không biết: «{key}».")
        table.append((fold(header), key, -1))
    for spec in specs:
        for i, alias in enumerate(spec.aliases):
            table.append((fold(alias), spec.key, i))
    return table


def _match_row(cells: Sequence[object], table, mapping_keys) -> dict[str, tuple[tuple, int]]:
    """field -> (score, column) for this row; each column feeds at most one field (its best)."""
    col_best: dict[int, tuple[tuple, str]] = {}
    for col, cell in enumerate(cells):
        if cell.__class__ is not str:
            continue
        text = fold(cell)
        if not text or text in IGNORED_HEADERS:
            continue
        best = None
        for alias, key, prio in table:
            if prio == -1:
                if text != alias:
                    continue
                score = (0, -1, 0)
            elif key in mapping_keys:
                continue  # the user's saved mapping decides this field
            elif text == alias:
                score = (0, prio, 0)
            elif len(alias.split()) >= 2 and text.startswith(alias + " "):
                score = (1, prio, -len(alias))
            else:
                continue
            if best is None or score < best[0]:
                best = (score, key)
        if best is not None:
            col_best[col] = best
    found: dict[str, tuple[tuple, int]] = {}
    for col, (score, key) in col_best.items():
        if key not in found or score < found[key][0]:
            found[key] = (score, col)
    return found


def find_header(
    rows: Sequence[tuple[int, Sequence[object]]],
    specs: Sequence[FieldSpec],
    mapping: Mapping[str, str] | None = None,
    *,
    what: str = "hồ sơ",
) -> HeaderMapping:
    """Pick the header among the first rows (``(row_number, cells)`` pairs).

    The first row that has every required field wins; title rows above it are ignored.
    Raises :class:`PortalFileError` naming the missing columns with their aliases, or saying no
    header was found."""
    table = _alias_table(specs, mapping)
    mapping_keys = frozenset((mapping or {}).keys())
    required = [s for s in specs if s.required]
    best_row = None
    best_found: dict = {}
    for row_number, cells in rows:
        found = _match_row(cells, table, mapping_keys)
        n_required = sum(1 for s in required if s.key in found)
        if n_required == len(required):
            columns = {k: col for k, (_, col) in found.items()}
            headers = {k: str(cells[col]).strip() for k, col in columns.items()}
            mapped = set(columns.values())
            unmapped = tuple(
                str(c).strip() for i, c in enumerate(cells)
                if i not in mapped and str(c).strip() and fold(c) not in IGNORED_HEADERS
            )
            return HeaderMapping(row_number, columns, headers, unmapped)
        if n_required >= 2 and n_required > sum(1 for s in required if s.key in best_found):
            best_row, best_found = row_number, found
    if best_row is None:
        names = ", ".join(f"«{s.label}»" for s in required)
        raise PortalFileError(
            f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SCAN_ROWS} dòng đầu của tệp danh sách "
            f"{what}; cần các cột {names}. Hãy kiểm tra lại tệp xuất từ cổng dịch vụ công "
            "hoặc khai báo tên cột.",
            "no_header",
        )
    missing = [s for s in required if s.key not in best_found]
    parts = []
    for s in missing:
        aliases = [a for a in s.aliases if a != s.label][:5]
        user = (mapping or {}).get(s.key)
        hint = f"cột đã lưu «{user}»; " if user else ""
        parts.append(f"«{s.label}» ({hint}tên khác được chấp nhận: {', '.join(aliases)})")
    noun = "cột" if len(missing) == 1 else f"{len(missing)} cột"
    raise PortalFileError(
        f"Thiếu {noun} {'; '.join(parts)} ở dòng tiêu đề (dòng {best_row})."
    )
