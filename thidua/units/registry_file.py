"""The unit registry as a spreadsheet (pure Python, no Django): read a .csv/.xlsx file into rows,
plan the changes it makes to a registry snapshot, and write the sample and empty template files.

Reading reuses the portal readers: :func:`open_table` detects the real file type and
:func:`find_header` finds the header row by alias among the first rows. Row numbers are those the
user sees (Excel's row, the CSV line). Nothing here writes: :func:`plan_registry` compares the rows
with a snapshot of the registry (code -> fields, the parent as a code) and says, row by row, what an
import would create, update or leave unchanged, or why the file cannot be imported.

A column missing from the file leaves that field as it is (a new unit takes the default). A blank
cell empties a text field (no group = not competing, no parent = a top-level unit); a blank
"Thứ tự" or "Đang hoạt động" keeps the current value (new units: 0 and active).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from thidua.documents.text import printable
from thidua.documents.xlsx import Sheet, unneutralise, write_csv, write_xlsx
from thidua.portal.parsing import (
    FieldSpec,
    PortalFileError,
    RowError,
    find_header,
    fold,
    normalize_tone_placement,
    open_table,
)
from thidua.portal.parsing.headers import HEADER_SCAN_ROWS
from thidua.portal.parsing.values import cell_text
from thidua.scoring.text import format_int, format_size_over, month_as_typed, parse_month

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{0,62}")  # the Unit model's code_validator
MAX_LENGTHS = {"name": 200, "head_name": 120, "head_title": 120}  # the Unit model's max_length
MAX_SORT_ORDER = 2_147_483_647
MAX_ROWS = 10_000  # a province has a few hundred units; more rows means the wrong file
MAX_MESSAGES = 200

LEVELS = ("province", "district", "department", "commune")
FIELDS = ("name", "level", "group", "parent", "head_name", "head_title", "sort_order", "active", "description",
          "first_month")
DEFAULTS = {"group": "", "parent": "", "head_name": "", "head_title": "", "description": "", "sort_order": 0,
            "active": True, "first_month": ""}
# Fields a blank cell leaves as they are (a new unit takes the default).
BLANK_KEEPS = frozenset({"sort_order", "active"})

UNIT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "Mã đơn vị", True, (
        "Mã đơn vị", "Mã", "Mã ĐV", "Mã số đơn vị", "Mã cơ quan", "Mã định danh đơn vị", "Code", "Unit code")),
    FieldSpec("name", "Tên đơn vị", True, (
        "Tên đơn vị", "Tên", "Tên cơ quan", "Tên cơ quan, đơn vị", "Đơn vị", "Name", "Unit name")),
    FieldSpec("level", "Cấp", True, (
        "Cấp", "Cấp đơn vị", "Loại đơn vị", "Cấp hành chính", "Loại", "Level")),
    FieldSpec("group", "Nhóm thi đua", False, (
        "Nhóm thi đua", "Khối thi đua", "Cụm thi đua", "Nhóm", "Khối", "Group", "Competition group")),
    FieldSpec("parent", "Mã đơn vị cấp trên", False, (
        "Mã đơn vị cấp trên", "Mã cấp trên", "Mã đơn vị quản lý", "Cấp trên", "Parent code", "Parent")),
    FieldSpec("head_name", "Thủ trưởng", False, (
        "Thủ trưởng", "Thủ trưởng đơn vị", "Họ tên thủ trưởng", "Họ và tên thủ trưởng", "Người đứng đầu",
        "Head", "Head name")),
    FieldSpec("head_title", "Chức vụ thủ trưởng", False, (
        "Chức vụ thủ trưởng", "Chức vụ", "Chức vụ người đứng đầu", "Head title")),
    FieldSpec("sort_order", "Thứ tự", False, (
        "Thứ tự", "Thứ tự sắp xếp", "Thứ tự hiển thị", "Sort order", "Order")),
    FieldSpec("active", "Đang hoạt động", False, (
        "Đang hoạt động", "Hoạt động", "Còn hoạt động", "Trạng thái", "Active")),
    FieldSpec("description", "Sơ lược", False, (
        "Sơ lược", "Sơ lược đặc điểm, chức năng, nhiệm vụ", "Sơ lược đặc điểm", "Mô tả", "Description")),
    FieldSpec("first_month", "Tham gia thi đua từ tháng", False, (
        "Tham gia thi đua từ tháng", "Tham gia từ tháng", "Báo cáo từ tháng", "Tháng tham gia", "First month")),
)
HEADERS = tuple(spec.label for spec in UNIT_FIELDS)
FIELD_LABELS = {spec.key: spec.label for spec in UNIT_FIELDS}

_LEVEL_WORDS = {
    "province": ("tinh", "thanh pho", "thanh pho truc thuoc trung uong", "thanh pho truc thuoc tw",
                 "tp truc thuoc trung uong", "tp truc thuoc tw", "tinh thanh pho", "cap tinh",
                 "tinh thanh pho truc thuoc trung uong", "province"),
    "district": ("huyen", "quan", "thi xa", "thanh pho thuoc tinh", "tp thuoc tinh", "huyen quan thi xa",
                 "cap huyen", "district"),
    "department": ("phong", "so", "ban", "nganh", "van phong", "bo phan", "co quan", "co quan chuyen mon",
                   "phong ban nganh", "so ban nganh", "co quan chuyen mon phong so ban nganh",
                   # a province's units that handle procedures without being a Sở: its centres, sub-departments
                   "trung tam", "chi cuc", "don vi su nghiep", "department"),
    "commune": ("xa", "phuong", "thi tran", "dac khu", "xa phuong thi tran", "xa phuong dac khu",
                "xa thi tran", "xa phuong thi tran dac khu", "cap xa", "commune"),
}
LEVEL_BY_WORD = {word: level for level, words in _LEVEL_WORDS.items() for word in words}
LEVEL_HINT = ("Tỉnh (Thành phố trực thuộc TW), Huyện (Quận, Thị xã), Phòng (Sở, Ban, Ngành, Văn phòng, Trung tâm, "
              "Chi cục) "
              "hoặc Xã (Phường, Thị trấn, Đặc khu)")

# The first word of a group written in words ("Khối xã, phường, thị trấn", "Khối sở, ban, ngành"), with its accents:
# written with accents it must be that word ("Cụm thi đua số 1" is no "sở"), without any it is read as it.
_GROUP_FIRST_WORDS_VI = {
    "commune": ("xã", "phường", "thị trấn", "đặc khu"),
    "department": ("phòng", "sở", "ban", "ngành", "văn phòng", "cơ quan"),
}
_GROUP_FIRST_WORDS = {group: tuple(fold(w) for w in words) for group, words in _GROUP_FIRST_WORDS_VI.items()}
# The shortest name of each, offered in the help and the errors ("Xã", "Phòng").
_GROUP_SHORT_NAMES = {"commune": "Xã", "department": "Phòng"}
_GROUP_PREFIX = re.compile(r"^(?:khoi|nhom|cum)(?:\s+thi\s+dua)?\s+")  # "Khối", "Nhóm thi đua"
_GROUP_NONE = frozenset({"khong", "khong thi dua", "khong tham gia"})
# The groups every registry may use (Plan 211's keys): key -> names accepted besides the key, the first shown.
DEFAULT_GROUPS = {"commune": ("Khối xã, phường, thị trấn",), "department": ("Khối phòng, sở, ban, ngành",)}

_YES = frozenset({"co", "x", "1", "true", "yes", "dang hoat dong", "hoat dong", "con hoat dong", "active"})
_NO = frozenset({"khong", "0", "false", "no", "ngung", "ngung hoat dong", "da ngung hoat dong", "giai the",
                 "da giai the", "sap nhap", "da sap nhap", "inactive"})


class RegistryFileError(Exception):
    """The file as a whole cannot be read; ``message`` is one Vietnamese sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class UnitRow:
    """One data row: ``values`` holds the fields the file gives (code, name and level always)."""

    row: int
    code: str
    values: dict


@dataclass
class RegistryFile:
    rows: list[UnitRow]
    errors: list[RowError]
    columns: tuple[str, ...]  # the fields whose column the file has
    codes: frozenset[str] = frozenset()  # every code written in the file, rows with errors included


@dataclass(frozen=True)
class UnitChange:
    """What importing one row does: ``action`` is "create", "update" or "unchanged"; ``diffs`` are
    (field, before, after) for an update; ``values`` every field of the unit after the import."""

    row: int
    code: str
    action: str
    values: dict
    diffs: tuple[tuple[str, object, object], ...] = ()

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass
class RegistryPlan:
    changes: list[UnitChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def messages(self) -> list[str]:
        shown = [str(e) for e in self.errors[:MAX_MESSAGES]]
        if len(self.errors) > MAX_MESSAGES:
            shown.append(f"… và {len(self.errors) - MAX_MESSAGES} lỗi khác.")
        return shown


# -- reading ---------------------------------------------------------------------------------------


def _text(value: object) -> str:
    # a text a spreadsheet could take for a formula is written with an apostrophe before it (a registry
    # file downloaded from here): read back without it. Invisible control characters (a cell pasted from
    # Word) are dropped, as the web forms drop them (core.middleware).
    return unneutralise(unicodedata.normalize("NFC", printable(cell_text(value)).strip()))


def _line(value: object) -> str:
    return " ".join(_text(value).split())


def parse_level(raw: str) -> str | None:
    return LEVEL_BY_WORD.get(fold(raw))


def parse_group(raw: str, groups: Mapping[str, Sequence[str]]) -> str | None:
    """The group key, "" for none, or None when unknown. ``groups``: key -> names of the groups in use."""
    key = fold(raw)
    if not key or key in _GROUP_NONE:
        return ""
    for group, names in groups.items():
        if key == fold(group) or key in {fold(name) for name in names}:
            return group
    bare = _GROUP_PREFIX.sub("", key)
    # the same words with their accents (old-style tones placed anew), when they split as the folded ones do
    accented = re.findall(r"\w+", normalize_tone_placement(unicodedata.normalize("NFC", raw)).lower())
    skipped = len(key.split()) - len(bare.split())
    accented = accented[skipped:] if len(accented) == len(key.split()) else []
    for group, words in _GROUP_FIRST_WORDS.items():
        if group not in groups:
            continue
        for word, word_vi in zip(words, _GROUP_FIRST_WORDS_VI[group], strict=True):
            if not (bare == word or bare.startswith(word + " ")):
                continue
            written = accented[:len(word.split())]
            if " ".join(written) == word_vi or all(fold(w) == w for w in written):
                return group
    return None


def parse_active(raw: str) -> bool | None:
    key = fold(raw)
    return True if key in _YES else False if key in _NO else None


def _group_names(groups: Mapping[str, Sequence[str]]) -> str:
    """The groups by their Vietnamese names, each with the other names it may be written with:
    «Khối xã, phường, thị trấn» (hay «Xã, thị trấn», «Xã») hoặc «Khối phòng, sở, ban, ngành» (hay …);
    a group without a name by its key."""
    named = []
    for key, names in groups.items():
        shown: dict[str, str] = {}
        for name in (*names, _GROUP_SHORT_NAMES.get(key, "")):
            if name:
                shown.setdefault(fold(name), name)
        first, *others = shown.values() or [key]
        named.append(f"«{first}»" + (f" (hay {', '.join(f'«{n}»' for n in others)})" if others else ""))
    return ", ".join(named[:-1]) + " hoặc " + named[-1] if len(named) > 1 else "".join(named)


def _group_hint(groups: Mapping[str, Sequence[str]]) -> str:
    return f"ghi tên nhóm: {_group_names(groups)}, hoặc để trống nếu đơn vị không tham gia thi đua"


def _parse_row(number: int, cells: list, columns: Mapping[str, int], groups: Mapping[str, Sequence[str]],
               errors: list[RowError]) -> tuple[str, UnitRow | None] | None:
    """None for a blank row, else (the code as written, upper case; the row or None when it has errors)."""
    def cell(key: str) -> object:
        col = columns.get(key)
        return cells[col] if col is not None and col < len(cells) else None

    raw = {key: (_text(cell(key)) if key == "description" else _line(cell(key))) for key in columns}
    if not any(raw.values()):
        return None  # a blank row
    found: list[RowError] = []

    def bad(key: str, message: str) -> None:
        found.append(RowError(number, key, message))

    values: dict = {}
    code = raw["code"].upper()
    if not code:
        bad("code", "thiếu mã đơn vị.")
    elif not CODE_PATTERN.fullmatch(code):
        bad("code", f"mã đơn vị «{raw['code']}» không hợp lệ: chỉ gồm chữ in hoa không dấu, chữ số và dấu "
                    "gạch ngang, bắt đầu bằng chữ hoặc số, tối đa 63 ký tự.")
    if not raw["name"]:
        bad("name", "thiếu tên đơn vị.")
    values["name"] = raw["name"]
    level = parse_level(raw["level"])
    if not raw["level"]:
        bad("level", f"thiếu cấp đơn vị; dùng {LEVEL_HINT}.")
    elif level is None:
        bad("level", f"cấp «{raw['level']}» không hợp lệ; dùng {LEVEL_HINT}.")
    values["level"] = level
    if "group" in columns:
        group = parse_group(raw["group"], groups)
        if group is None:
            bad("group", f"nhóm thi đua «{raw['group']}» không hợp lệ; {_group_hint(groups)}.")
        values["group"] = group
    if "parent" in columns:
        values["parent"] = raw["parent"].upper()
    for key in ("head_name", "head_title"):
        if key in columns:
            values[key] = raw[key]
    if "description" in columns:
        values["description"] = raw["description"]
    for key, limit in MAX_LENGTHS.items():
        if len(raw.get(key, "")) > limit:
            bad(key, f"{FIELD_LABELS[key].lower()} dài {len(raw[key])} ký tự, tối đa {limit} ký tự.")
    if raw.get("sort_order"):
        text = raw["sort_order"]
        if text.isdigit() and int(text) <= MAX_SORT_ORDER:
            values["sort_order"] = int(text)
        else:
            bad("sort_order", f"thứ tự «{text}» phải là số nguyên không âm.")
    if "first_month" in columns:
        month = parse_month(raw["first_month"]) if raw["first_month"] else ""
        if month is None:
            bad("first_month", f"tháng tham gia thi đua «{raw['first_month']}» không hợp lệ; ghi tháng/năm, ví dụ "
                               "09/2021, hoặc để trống nếu đơn vị tham gia từ đầu.")
        values["first_month"] = month
    if raw.get("active"):
        active = parse_active(raw["active"])
        if active is None:
            bad("active", f"cột Đang hoạt động «{raw['active']}» không hợp lệ; ghi «Có» hoặc «Không».")
        values["active"] = active
    if found:
        errors.extend(found)
        return code, None
    return code, UnitRow(number, code, values)


def _no_header_message() -> str:
    required = ", ".join(f"«{s.label}»" for s in UNIT_FIELDS if s.required)
    return (f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SCAN_ROWS} dòng đầu của tệp danh mục đơn vị; "
            f"cần các cột {required}. Hãy dùng tệp mẫu tải về từ trang Nhập danh mục đơn vị.")


def _registry_wording(exc: PortalFileError, label: str, path: Path, max_bytes: int) -> str:
    """The shared reader's message, with advice about a registry file where it speaks of portal exports."""
    if exc.reason == "empty":
        return f"{label} rỗng (0 byte)."
    if exc.reason == "too_large":
        size_text, limit_text = format_size_over(path.stat().st_size, max_bytes)
        return f"{label} quá lớn ({size_text}), vượt giới hạn {limit_text}."
    if exc.reason == "corrupt":
        return "Tệp Excel bị hỏng hoặc chưa tải về hết; hãy lưu lại tệp trong Excel rồi nhập lại."
    if exc.reason == "no_header":
        return _no_header_message()
    return exc.message


def read_registry_file(path: str | Path, *, original_name: str | None = None, max_bytes: int,
                       groups: Mapping[str, Sequence[str]] = DEFAULT_GROUPS) -> RegistryFile:
    """Read every data row (title rows above the header and blank rows are skipped).

    Raises :class:`RegistryFileError` when the file as a whole cannot be read."""
    path = Path(path)
    label = f"Tệp «{original_name or path.name}»"
    try:
        table = open_table(path, original_name=original_name, max_bytes=max_bytes)
        rows = table.rows()
        try:
            head = list(islice(rows, HEADER_SCAN_ROWS))
            header = find_header(head, UNIT_FIELDS, what="đơn vị")
            parsed: list[UnitRow] = []
            errors: list[RowError] = []
            first_row: dict[str, int] = {}
            count = 0
            for number, cells in chain((r for r in head if r[0] > header.row), rows):
                found = _parse_row(number, cells, header.columns, groups, errors)
                if found is None:
                    continue
                count += 1
                if count > MAX_ROWS:
                    limit = f"{MAX_ROWS:,}".replace(",", ".")
                    raise RegistryFileError(f"{label} có hơn {limit} dòng đơn vị; đây không phải danh mục "
                                            "đơn vị của một tỉnh hay huyện.")
                code, unit = found
                if code and code in first_row:
                    errors.append(RowError(number, "code", f"mã đơn vị «{code}» trùng với dòng {first_row[code]}."))
                    continue
                if code:
                    first_row[code] = number
                if unit is not None:
                    parsed.append(unit)
        finally:
            getattr(rows, "close", lambda: None)()
    except PortalFileError as exc:
        raise RegistryFileError(_registry_wording(exc, label, path, max_bytes)) from exc
    if not parsed and not errors:
        raise RegistryFileError(f"{label} không có dòng đơn vị nào dưới dòng tiêu đề (dòng {header.row}).")
    return RegistryFile(parsed, errors, tuple(k for k in header.columns if k != "code"), frozenset(first_row))


# -- planning --------------------------------------------------------------------------------------


def plan_registry(read: RegistryFile, registry: Mapping[str, Mapping]) -> RegistryPlan:
    """What importing the rows would do to ``registry`` (code -> fields of FIELDS, parent as a code).

    Units the file does not list are left as they are. Errors: a parent neither in the file nor in
    the registry, a unit its own parent, a parent of a level a unit cannot belong to (see
    PARENT_LEVELS), a cycle of parents."""
    errors = list(read.errors)
    in_file = {row.code: row for row in read.rows}
    # the parents after the import: the file's where it gives one, the registry's elsewhere
    parents = {code: fields.get("parent", "") for code, fields in registry.items()}
    for row in read.rows:
        if "parent" in row.values:
            parents[row.code] = row.values["parent"]
    bad_parent: set[str] = set()
    for row in read.rows:
        parent = row.values.get("parent", "")
        if not parent:
            continue
        if parent == row.code:
            errors.append(RowError(row.row, "parent", f"đơn vị «{row.code}» không thể là cấp trên của chính nó."))
            bad_parent.add(row.code)
        elif parent not in in_file and parent not in read.codes and parent not in registry:
            errors.append(RowError(row.row, "parent",
                                   f"mã đơn vị cấp trên «{parent}» không có trong tệp hay danh mục."))
            bad_parent.add(row.code)
    errors.extend(_levels(in_file, registry, parents, bad_parent))
    errors.extend(_cycles(in_file, parents, bad_parent))
    errors.sort(key=lambda e: e.row)

    plan = RegistryPlan(errors=errors)
    if errors:
        return plan
    for row in read.rows:
        existing = registry.get(row.code)
        if existing is None:
            plan.changes.append(UnitChange(row.row, row.code, "create", {**DEFAULTS, **row.values}))
            continue
        after = {key: existing[key] for key in FIELDS}
        after.update(row.values)
        diffs = tuple((key, existing[key], after[key]) for key in FIELDS if existing[key] != after[key])
        plan.changes.append(UnitChange(row.row, row.code, "update" if diffs else "unchanged", after, diffs))
    return plan


# The levels a unit's parent may have: a district belongs to a province; a department (phòng, sở,
# ban, ngành) to a province, a district or another department (a section of it); a commune to a
# province (today's structure) or a district (the 2021 one); a province to nothing.
PARENT_LEVELS = {"province": (), "district": ("province",), "department": ("province", "district", "department"),
                 "commune": ("province", "district")}
LEVEL_PHRASES = {"province": "đơn vị cấp tỉnh", "district": "đơn vị cấp huyện",
                 "department": "cơ quan chuyên môn (phòng, sở, ban, ngành)", "commune": "đơn vị cấp xã"}


def _levels(in_file: Mapping[str, UnitRow], registry: Mapping[str, Mapping], parents: Mapping[str, str],
            skip: set[str]) -> list[RowError]:
    """One error per row whose unit would belong to a parent of a level it cannot belong to (the
    levels and parents after the import: the file's where it gives them, the registry's elsewhere),
    and one per row that moves a unit to a level that units of the registry left out of the file,
    which belong to it, cannot belong to."""
    levels = {code: fields.get("level", "") for code, fields in registry.items()}
    levels.update((code, row.values["level"]) for code, row in in_file.items() if "level" in row.values)
    errors = []
    for code, row in in_file.items():
        parent = parents.get(code, "")
        level, parent_level = levels.get(code, ""), levels.get(parent, "")
        if not parent or code in skip or level not in PARENT_LEVELS or parent_level not in PARENT_LEVELS:
            continue
        allowed = PARENT_LEVELS[level]
        if parent_level in allowed:
            continue
        if not allowed:
            message = f"«{code}» là {LEVEL_PHRASES[level]}, không có đơn vị cấp trên; để trống mã đơn vị cấp trên."
        else:
            message = (f"«{code}» là {LEVEL_PHRASES[level]}, không thể trực thuộc «{parent}» "
                       f"({LEVEL_PHRASES[parent_level]}); đơn vị cấp trên phải là "
                       f"{' hoặc '.join(LEVEL_PHRASES[x] for x in allowed)}.")
        errors.append(RowError(row.row, "parent", message))
    # a unit the file does not list keeps its parent; if the file moves that parent to a level the
    # unit cannot belong to, the parent's row says so, naming the units left behind
    stranded: dict[str, list[str]] = {}
    for code, fields in registry.items():
        parent = parents.get(code, "")
        if code in in_file or parent not in in_file or "level" not in in_file[parent].values:
            continue
        level, parent_level = fields.get("level", ""), levels.get(parent, "")
        if level in PARENT_LEVELS and parent_level in PARENT_LEVELS and PARENT_LEVELS[level] \
                and parent_level not in PARENT_LEVELS[level]:
            stranded.setdefault(parent, []).append(code)
    for parent, codes in stranded.items():
        shown = ", ".join(sorted(codes)[:10]) + (", …" if len(codes) > 10 else "")
        errors.append(RowError(in_file[parent].row, "level", (
            f"«{parent}» thành {LEVEL_PHRASES[levels[parent]]} thì {format_int(len(codes))} đơn vị đang trực "
            f"thuộc nó không thể trực thuộc nữa ({shown}); hãy thêm các đơn vị này vào tệp với đơn vị cấp trên "
            f"mới, hoặc giữ cấp cũ của «{parent}».")))
    return errors


def _cycles(in_file: Mapping[str, UnitRow], parents: Mapping[str, str], skip: set[str]) -> list[RowError]:
    """One error per cycle of parents that runs through the file, on its first row."""
    errors: list[RowError] = []
    done: set[str] = set()
    for start in in_file:
        path: list[str] = []
        on_path: set[str] = set()
        code = start
        while code and code not in done and code not in skip:
            if code in on_path:
                cycle = path[path.index(code):]
                rows = [in_file[c].row for c in cycle if c in in_file]
                if rows:
                    first = cycle.index(next(c for c in cycle if c in in_file and in_file[c].row == min(rows)))
                    cycle = cycle[first:] + cycle[:first]
                    chain_text = " → ".join([*cycle, cycle[0]])
                    errors.append(RowError(min(rows), "parent", f"các đơn vị cấp trên tạo vòng lặp: {chain_text}."))
                break
            path.append(code)
            on_path.add(code)
            code = parents.get(code, "")
        done.update(path)
    return errors


# -- template files --------------------------------------------------------------------------------

def _group_shown(group: str, groups: Mapping[str, Sequence[str]] = DEFAULT_GROUPS) -> str:
    names = groups.get(group)
    return names[0] if names else group


LEVEL_WORDS_SHOWN = {"province": "Tỉnh", "district": "Huyện", "department": "Phòng, ban, ngành",
                     "commune": "Xã, phường, thị trấn"}


def level_word(name: str, level: str) -> str:
    """The level as the unit's name says it ("Thị trấn Một Ngàn" -> "Thị trấn"), else a generic word."""
    words = name.split()
    for n in (3, 2, 1):
        if len(words) > n and LEVEL_BY_WORD.get(fold(" ".join(words[:n]))) == level:
            return " ".join(words[:n])
    return LEVEL_WORDS_SHOWN[level]


def template_rows(units: Iterable[Mapping], groups: Mapping[str, Sequence[str]] = DEFAULT_GROUPS) -> list[list]:
    """Rows of the registry file for units given as Unit fields (parents first), in the HEADERS order; each
    group by the first of its names in ``groups``."""
    rows = []
    for unit in units:
        rows.append([
            unit["code"], unit["name"], level_word(unit["name"], unit["level"]),
            _group_shown(unit.get("group", ""), groups), unit.get("parent", ""),
            unit.get("head_name", ""), unit.get("head_title", ""), unit.get("sort_order", 0),
            "Có" if unit.get("active", True) else "Không", unit.get("description", ""),
            month_as_typed(unit["first_month"]) if unit.get("first_month") else "",
        ])
    return rows


def column_help(groups: Mapping[str, Sequence[str]] = DEFAULT_GROUPS) -> tuple[tuple[str, str], ...]:
    """(column, how to fill it in) for the page and the template's help sheet; ``groups`` as for reading."""
    keys = ", ".join(groups)
    return (
        *_COLUMN_HELP[:3],
        ("Nhóm thi đua", f"Tên nhóm: {_group_names(groups)}; hoa hay thường, có dấu hay không dấu đều được (mã "
                         f"nhóm {keys} cũng được nhận). Để trống nếu đơn vị không tham gia thi đua (tỉnh, huyện)."),
        *_COLUMN_HELP[3:],
    )


_COLUMN_HELP: tuple[tuple[str, str], ...] = (
    ("Mã đơn vị", "Chữ in hoa không dấu, chữ số và dấu gạch ngang, ví dụ X-TAN-HOA (chữ thường được đổi thành "
                  "chữ hoa). Mỗi mã một dòng; nhập lại một mã đã có là cập nhật đơn vị đó."),
    ("Tên đơn vị", "Tên đầy đủ, ví dụ Xã Tân Hòa; tối đa 200 ký tự."),
    ("Cấp", "Tỉnh (Thành phố trực thuộc TW); Huyện (Quận, Thị xã); Phòng (Sở, Ban, Ngành, Văn phòng, Bộ phận, "
            "Cơ quan chuyên môn); Xã (Phường, Thị trấn, Đặc khu)."),
    ("Mã đơn vị cấp trên", "Mã của một đơn vị trong tệp (ở dòng nào cũng được) hoặc đã có trong danh mục; để trống "
                           "nếu không có cấp trên."),
    ("Thủ trưởng", "Họ và tên người đứng đầu đơn vị; tối đa 120 ký tự."),
    ("Chức vụ thủ trưởng", "Ví dụ Chủ tịch UBND, Giám đốc Sở, Trưởng phòng; tối đa 120 ký tự."),
    ("Thứ tự", "Số nguyên không âm, thứ tự hiển thị trong các bảng; để trống thì giữ nguyên (đơn vị mới: 0)."),
    ("Đang hoạt động", "Có hoặc Không; để trống thì giữ nguyên (đơn vị mới: Có). Đơn vị không có trong tệp được "
                       "giữ nguyên, không bị ngừng hoạt động."),
    ("Sơ lược", "Sơ lược đặc điểm, chức năng, nhiệm vụ của đơn vị (dùng trong báo cáo thành tích)."),
    ("Tham gia thi đua từ tháng", "Chỉ ghi cho đơn vị thành lập, sáp nhập hoặc tham gia sau khi phong trào đã bắt "
                                  "đầu: tháng/năm, ví dụ 09/2021; đơn vị không phải báo cáo (không bị trừ điểm) các "
                                  "tháng trước đó. Để trống nếu đơn vị tham gia từ đầu."),
)
COLUMN_HELP = column_help()
REQUIRED_LABELS = frozenset(spec.label for spec in UNIT_FIELDS if spec.required)

SAMPLE_NAME = "danh-muc-don-vi-chau-thanh-a-2021"
EMPTY_NAME = "mau-danh-muc-don-vi"
EXPORT_NAME = "danh-muc-don-vi"  # the registry as it is now, with the date: danh-muc-don-vi-2026-11-27.xlsx
TEMPLATE_FILES = (f"{SAMPLE_NAME}.csv", f"{SAMPLE_NAME}.xlsx", f"{EMPTY_NAME}.xlsx", f"{EMPTY_NAME}.csv")


def render_template_file(filename: str, groups: Mapping[str, Sequence[str]] = DEFAULT_GROUPS) -> bytes:
    """One of TEMPLATE_FILES: the 2021 Châu Thành A registry, or the empty template with a help sheet
    (.xlsx; ``groups`` as for reading). Raises KeyError for another name."""
    from thidua.units import chau_thanh_a

    if filename not in TEMPLATE_FILES:
        raise KeyError(filename)
    stem, _, fmt = filename.rpartition(".")
    return render_registry_file(fmt, chau_thanh_a.registry() if stem == SAMPLE_NAME else [], groups)


def render_registry_file(fmt: str, units: Iterable[Mapping], groups: Mapping[str, Sequence[str]] = DEFAULT_GROUPS
                         ) -> bytes:
    """A registry file ("xlsx", with the help sheet, or "csv") listing ``units`` (Unit fields, the parent as
    its code, parents first): importing it again changes nothing."""
    sheet = Sheet("Danh mục đơn vị", HEADERS, template_rows(units, groups))
    if fmt == "csv":
        return write_csv(sheet)
    help_rows = [(label, "Bắt buộc" if label in REQUIRED_LABELS else "Không bắt buộc", how)
                 for label, how in column_help(groups)]
    return write_xlsx([sheet, Sheet("Hướng dẫn", ("Cột", "Bắt buộc", "Cách ghi"), help_rows, (22, 16, 100))])
