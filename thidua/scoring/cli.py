"""``thidua score INPUT.json [--format json|table]`` — the batch scoring command (RULES.md).

Reads a results snapshot, prints the scorecards as JSON (default) or as a table. Exit 0 on
success; bad input → exit 2 with one Vietnamese line per problem on stderr and nothing on stdout.
``INPUT`` may be ``-`` for standard input. Besides the contract, the input may carry
``"tie_breaks": [{"group", "codes", "reason"}]`` recording the council's order for tied units.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import IO, Any

from wcwidth import wcswidth

from .model import CampaignResult, Scorecard
from .rubric import CollectivesAward, PlacesAward
from .snapshot import SnapshotError, decode_snapshot, evaluate_snapshot
from .text import format_date, format_int, format_vnd

__all__ = ["main", "render_json", "render_table"]

USAGE = "cách dùng: thidua score INPUT.json [--format json|table]"
HELP = f"""{USAGE}

Chấm điểm thi đua từ tệp số liệu INPUT.json (hoặc "-" để đọc từ đầu vào chuẩn) và in
kết quả dạng JSON (mặc định) hoặc bảng (--format table).
Mã thoát: 0 thành công; 2 dữ liệu vào hoặc tham số không hợp lệ.
"""


class _Usage(Exception):
    pass


def _parse_args(argv: Sequence[str]) -> tuple[str | None, str, bool]:
    path: str | None = None
    fmt = "json"
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            return None, fmt, True
        if arg in ("--format", "-f"):
            if i + 1 >= len(args):
                raise _Usage("tham số --format cần một giá trị: json hoặc table")
            fmt = args[i + 1]
            i += 2
            continue
        if arg.startswith("--format="):
            fmt = arg.split("=", 1)[1]
        elif arg.startswith("-") and arg != "-":
            raise _Usage(f"tham số không hợp lệ: {arg}")
        elif path is None:
            path = arg
        else:
            raise _Usage(f"thừa tham số: {arg} (chỉ nhận một tệp INPUT.json)")
        i += 1
    if fmt not in ("json", "table"):
        raise _Usage(f"định dạng {fmt!r} không hợp lệ; chọn json hoặc table")
    if path is None:
        raise _Usage("thiếu tệp INPUT.json")
    return path, fmt, False


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise SnapshotError([f'không tìm thấy tệp "{path}"']) from None
        except IsADirectoryError:
            raise SnapshotError([f'"{path}" là thư mục, không phải tệp']) from None
        except PermissionError:
            raise SnapshotError([f'không có quyền đọc tệp "{path}"']) from None
        except OSError as exc:
            raise SnapshotError([f'không đọc được tệp "{path}": {exc.strerror}']) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SnapshotError([f"tệp không phải văn bản UTF-8 (byte không hợp lệ ở vị trí {exc.start})"]) from None


def render_json(result: CampaignResult) -> str:
    return json.dumps(result.to_contract(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------------------------


def _width(text: str) -> int:
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("─" * w for w in widths))
    lines += ["  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in rows]
    return lines


def render_table(result: CampaignResult) -> str:
    rubric = result.rubric
    names = {c.code: c.name for c in result.scorecards}
    out = [rubric.name, f"Số liệu tính đến ngày {format_date(result.as_of)}"
           + ("" if rubric.is_final(result.as_of)
              else f" — kết quả tạm tính (thời gian thi đua đến hết {format_date(rubric.campaign.end)})"),
           ""]
    min_total = format_int(rubric.eligibility.min_total)
    for gname, group in rubric.groups.items():
        cards: list[Scorecard] = [c for c in result.scorecards if c.group == gname]
        out.append(f"{group.label} ({format_int(len(cards))} đơn vị)")
        headers = ["Hạng", "Mã", "Tên đơn vị"] + [c.label for c in group.criteria] + [
            "Trừ", "Tổng", f"≥ {min_total}", "Đồng hạng"]
        nc = len(group.criteria)
        rows = []
        for c in cards:
            points = c.criteria_points
            tie = ("đồng hạng" if not c.tie_resolved else "HĐ đã xét") if c.tie else ""
            rows.append([
                "" if c.rank is None else format_int(c.rank), c.code, c.name,
                *[format_int(points[k.key]) for k in group.criteria],
                format_int(c.penalty), format_int(c.total), "có" if c.eligible else "không", tie,
            ])
        right = {0, *range(3, 3 + nc + 2)}
        out += _table(headers, rows, right) if rows else ["(không có đơn vị)"]
        out.append("")
    out.append("Khen thưởng cuối năm" + (" (tạm tính)" if result.awards.get("provisional") else ""))
    for award in rubric.awards.year_end:
        data: Any = result.awards.get(award.key)
        out.append(f"  {award.label}:")
        if isinstance(award, PlacesAward):
            if not data:
                out.append("    chưa có đơn vị đạt từ " + min_total + " điểm")
            for e in data or []:
                if e.get("pending"):
                    codes = ", ".join(f"{c} ({names.get(c, c)})" for c in e["codes"])
                    out.append(f"    Hạng {e['place']}: đồng hạng {codes} — chờ Hội đồng xét, chưa trao thưởng")
                else:
                    out.append(f"    Hạng {e['place']}: {e['code']} ({names.get(e['code'], e['code'])}) — "
                               f"{format_vnd(e['prize_vnd'])}, cộng {format_int(e['bonus_points'])} điểm, "
                               f"{format_int(e['individuals'])} cá nhân")
        elif isinstance(award, CollectivesAward):
            coll = data["collectives"]
            out.append(f"    Tập thể ({format_int(len(coll))}/{format_int(award.max_collectives)}): "
                       + (", ".join(coll) if coll else "chưa có"))
            if data.get("pending"):
                out.append("    Đồng hạng ở vị trí cuối, chờ Hội đồng xét: " + ", ".join(data["pending"]))
            out.append(f"    Cá nhân đề nghị: {format_int(data['individuals'])}")
    return unicodedata.normalize("NFC", "\n".join(out)) + "\n"


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _write(stream: IO[str], text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise
        stream.flush()
        buffer.write(text.encode("utf-8"))
    stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``thidua score`` with the arguments after ``score``; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 and args[0] == "score" and not os.path.exists("score"):
        args = args[1:]
    try:
        path, fmt, want_help = _parse_args(args)
    except _Usage as exc:
        _write(sys.stderr, f"{exc}\n{USAGE}\n")
        return 2
    if want_help:
        _write(sys.stdout, HELP)
        return 0
    assert path is not None
    try:
        result = evaluate_snapshot(decode_snapshot(_read(path)))
        text = render_json(result) if fmt == "json" else render_table(result)
    except SnapshotError as exc:
        _write(sys.stderr, "".join(line + "\n" for line in exc.problems))
        return 2
    except Exception as exc:  # never a traceback for the user; THIDUA_DEBUG=1 shows it
        if os.environ.get("THIDUA_DEBUG"):
            raise
        _write(sys.stderr, f"lỗi nội bộ khi chấm điểm: {type(exc).__name__}: {exc}\n")
        return 1
    _write(sys.stdout, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
