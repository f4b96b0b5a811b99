"""Builders for the year-end reward dossier of a Plan 211 campaign (plan section III).

Every builder takes plain input dataclasses (no Django model, no scoring import) and returns an
:class:`~thidua.documents.model.OfficialDocument` that any renderer can print.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from .model import (
    Block,
    Bullets,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Signatures,
    Table,
)
from .text import format_date, format_int, format_vnd, upper_vi, vn_date_words, vnd_in_words

__all__ = [
    "DEFAULT_CRITERIA",
    "GROUP_LABELS",
    "ISSUER_KINDS",
    "CollectiveProposal",
    "DistrictInfo",
    "IndividualProposal",
    "MeetingInfo",
    "MonthAward",
    "MonthReporting",
    "Person",
    "PlanInfo",
    "RankedUnit",
    "bang_tong_hop_cham_diem",
    "bao_cao_thanh_tich_ca_nhan",
    "bao_cao_thanh_tich_tap_the",
    "bien_ban_hop_xet",
    "giay_khen",
    "issuer_from_document",
    "quyet_dinh_khen_thuong",
    "thong_bao_ket_qua_thang",
    "to_trinh_de_nghi_khen_thuong",
    "year_end_dossier",
]

DEFAULT_CRITERIA: tuple[tuple[str, str], ...] = (
    ("plan", "Kế hoạch"),
    ("procedures", "Thủ tục"),
    ("accounts", "Tài khoản"),
    ("dossiers", "Hồ sơ"),
    ("resolution", "Tỷ lệ giải quyết"),
)
# Plan 211's groups as its rubric names them; a campaign's documents use its own rubric's labels.
PLAN_211_GROUPS = {"commune": "Xã, thị trấn", "department": "Phòng, ban, ngành huyện"}
GROUP_LABELS = {key: f"Khối {label[:1].lower()}{label[1:]}" for key, label in PLAN_211_GROUPS.items()}
PLACE_NAMES = {1: "Nhất", 2: "Nhì", 3: "Ba"}
MIN_TOTAL = 90

_PARTY_COMMITTEE = {"huyện": "Huyện ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy", "tỉnh": "Tỉnh ủy"}
# Which People's Committee issues the documents: key -> (level, kind, label shown to the user).
ISSUER_KINDS: dict[str, tuple[str, str, str]] = {
    "district": ("district", "huyện", "Ủy ban nhân dân huyện"),
    "town": ("district", "thị xã", "Ủy ban nhân dân thị xã"),
    "provincial_city": ("district", "thành phố", "Ủy ban nhân dân thành phố thuộc tỉnh"),
    "province": ("province", "tỉnh", "Ủy ban nhân dân tỉnh"),
    "central_city": ("province", "thành phố", "Ủy ban nhân dân thành phố trực thuộc Trung ương"),
}
# The word before a locality's name, by level ("huyện", "thị xã", "thành phố"; "tỉnh", "thành phố").
_KINDS = {level: tuple(k for lv, k, _ in ISSUER_KINDS.values() if lv == level) for level in ("district", "province")}
# The cities run by the central government (2025): "thành phố" before any other name is a provincial city.
CENTRAL_CITIES = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})
_ISSUER_IN_DOCUMENT = re.compile(
    r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(tỉnh|thành phố|TP\.?|huyện|thị xã|TX\.?)\s+([^,;()]+)",
    re.IGNORECASE)
_ISSUER_BY_WORD = {"tỉnh": "province", "huyện": "district", "thị xã": "town", "tx": "town"}
# what may follow the issuer's name in a plan's reference: its subject («về …», «V/v …») or date («ngày …»)
_PLAN_SUBJECT = re.compile(r"\s(?:về|v/v|ngày)(?:\s|$)", re.IGNORECASE)


def issuer_from_document(document: str) -> tuple[str, str] | None:
    """(issuer kind, locality name) of the People's Committee a plan's document names as its issuer:
    "… của Ủy ban nhân dân tỉnh Quảng Ninh" -> ("province", "Quảng Ninh"); "thành phố Cần Thơ" is a
    central city, "TP. Vị Thanh" a provincial one. None when the document names no People's Committee."""
    found = _ISSUER_IN_DOCUMENT.search(unicodedata.normalize("NFC", document or ""))
    if not found:
        return None
    word = found[1].lower().rstrip(".")
    name = " ".join(_PLAN_SUBJECT.split(found[2], maxsplit=1)[0].split()).rstrip(".")  # «… Quảng Ninh về …»
    if not name:
        return None
    if word in ("thành phố", "tp"):
        return ("central_city" if name in CENTRAL_CITIES else "provincial_city"), name
    return _ISSUER_BY_WORD[word], name


# ------------------------------------------------------------------------------------- inputs
@dataclass(frozen=True, kw_only=True)
class DistrictInfo:
    """Who issues the campaign's documents: the People's Committee of a district (its Phòng Nội vụ
    proposes, its Chairman awards a Giấy khen) or of a province (its Sở Nội vụ proposes, its Chairman
    awards a Bằng khen). Left blank, the printed names follow from ``level``, ``kind`` and the names."""

    chairman_name: str
    head_of_home_affairs_name: str
    district: str = "Châu Thành A"  # the district's name (unused by a province-level issuer)
    province: str = "Hậu Giang"
    level: str = "district"  # "district" | "province"
    kind: str = ""  # "huyện", "thị xã", "thành phố" (district level); "tỉnh", "thành phố" (province level)
    parent_body: str = ""  # e.g. "UBND HUYỆN CHÂU THÀNH A"
    issuer: str = ""  # e.g. "PHÒNG NỘI VỤ"
    issuer_symbol: str = ""  # e.g. "PNV"
    committee: str = ""  # e.g. "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH A"

    def __post_init__(self) -> None:
        if self.level not in ("district", "province"):
            raise ValueError(f"level must be 'district' or 'province', not {self.level!r}")
        kind = self.kind or ("tỉnh" if self.province_level else "huyện")
        if kind not in _KINDS[self.level]:
            raise ValueError(f"{kind!r} is not a {self.level}-level kind of locality")
        defaults = {
            "kind": kind,
            "parent_body": f"UBND {upper_vi(kind)} {upper_vi(self._name)}",
            "issuer": upper_vi(self.home_affairs),
            "issuer_symbol": "SNV" if self.province_level else "PNV",
            "committee": f"ỦY BAN NHÂN DÂN {upper_vi(kind)} {upper_vi(self._name)}",
        }
        for name, value in defaults.items():
            if not getattr(self, name):
                object.__setattr__(self, name, value)

    @property
    def province_level(self) -> bool:
        return self.level == "province"

    @property
    def _name(self) -> str:
        return self.province if self.province_level else self.district

    @property
    def locality(self) -> str:
        """"huyện Châu Thành A", "tỉnh Hậu Giang": the issuer's locality as the text names it."""
        return f"{self.kind} {self._name}"

    @property
    def place(self) -> str:
        """The place name of the place-and-date line (Decree 30): the locality's own name."""
        return self._name

    @property
    def committee_name(self) -> str:
        """"Ủy ban nhân dân huyện" (no proper name), as in "Chủ tịch Ủy ban nhân dân huyện"."""
        return f"Ủy ban nhân dân {self.kind}"

    @property
    def home_affairs(self) -> str:
        return "Sở Nội vụ" if self.province_level else "Phòng Nội vụ"

    @property
    def home_affairs_local(self) -> str:
        """"Phòng Nội vụ huyện", "Sở Nội vụ": the office as a text of the locality names it."""
        return self.home_affairs if self.province_level else f"{self.home_affairs} {self.kind}"

    @property
    def home_affairs_head(self) -> str:
        """The proposing head, as the text names them: "Trưởng phòng Nội vụ huyện", "Giám đốc Sở Nội vụ"."""
        return self.home_affairs_chief if self.province_level else f"{self.home_affairs_chief} {self.kind}"

    @property
    def home_affairs_chief(self) -> str:
        """The office's head as the pages name them: "Trưởng phòng Nội vụ", "Giám đốc Sở Nội vụ"."""
        return "Giám đốc Sở Nội vụ" if self.province_level else "Trưởng phòng Nội vụ"

    @property
    def home_affairs_title(self) -> str:
        """The proposing head's title above their signature."""
        return "GIÁM ĐỐC" if self.province_level else "TRƯỞNG PHÒNG"

    @property
    def award_name(self) -> str:
        """The Chairman's award: a Giấy khen from a district, a Bằng khen from a province."""
        return "Bằng khen" if self.province_level else "Giấy khen"

    @property
    def award_slug(self) -> str:
        """The award's name in file names: "giay-khen", "bang-khen"."""
        return "bang-khen" if self.province_level else "giay-khen"

    @property
    def award(self) -> str:
        """"Giấy khen của Chủ tịch UBND huyện": the award a proposal asks for, unless it names another."""
        return f"{self.award_name} của Chủ tịch UBND {self.kind}"

    @property
    def recognised_by(self) -> str:
        """"tỉnh, huyện": the levels whose recognition of a unit's results breaks a tie (Plan 211, for a
        district); "Trung ương, tỉnh" for a province."""
        return f"Trung ương, {self.kind}" if self.province_level else f"tỉnh, {self.kind}"

    @property
    def executors(self) -> str:
        """Who carries out a Quyết định khen thưởng (its last article), before the units themselves."""
        if self.province_level:
            return f"Chánh Văn phòng Ủy ban nhân dân {self.kind}, Giám đốc Sở Nội vụ, Giám đốc Sở Tài chính"
        return (f"Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {self.kind}, Trưởng phòng Nội vụ, "
                "Trưởng phòng Tài chính - Kế hoạch")

    @property
    def party_committee(self) -> str:
        """"Huyện ủy", "Thị ủy", "Thành ủy", "Tỉnh ủy"."""
        return _PARTY_COMMITTEE[self.kind]

    @property
    def committee_header(self) -> str:
        """The committee's name as printed top left, on two lines: ``ỦY BAN NHÂN DÂN`` / ``HUYỆN ...``."""
        head = "ỦY BAN NHÂN DÂN "
        if self.committee.startswith(head):
            return head.strip() + "\n" + self.committee[len(head) :]
        return self.committee


# The legal basis of a Quyết định khen thưởng: the laws and decree in force on the day it is signed.
_LOCAL_GOVERNMENT = (  # (in force from, the line)
    (date(2016, 1, 1), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
                       "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
                       "11 năm 2019;"),
    (date(2025, 3, 1), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;"),
    (date(2025, 7, 1), "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"),
)
_EMULATION = (  # the law on emulation and commendation, and the decree detailing it
    (date(2014, 6, 1), ("Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số "
                        "điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013;",
                        "Căn cứ Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết "
                        "thi hành một số điều của Luật Thi đua, khen thưởng;")),
    (date(2024, 1, 1), ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết "
                        "thi hành một số điều của Luật Thi đua, khen thưởng;")),
)


def legal_basis_on(day: date) -> tuple[str, ...]:
    """The legal basis a Quyết định khen thưởng signed on ``day`` cites (the reviewer may reword it): in 2021
    the 2003 law and Decree 91/2017, from 2024 the 2022 law and Decree 98/2023, with the local government
    law then in force (2015, amended 2019; from 1 March and from 1 July 2025 the two laws of 2025)."""
    local = next((line for since, line in reversed(_LOCAL_GOVERNMENT) if day >= since), _LOCAL_GOVERNMENT[0][1])
    emulation = next((lines for since, lines in reversed(_EMULATION) if day >= since), _EMULATION[0][1])
    return (local, *emulation)


DEFAULT_LEGAL_BASIS = legal_basis_on(date(2021, 12, 18))  # Plan 211's year-end


@dataclass(frozen=True, kw_only=True)
class PlanInfo:
    number: str = "211/KH-UBND"
    date: date = date(2021, 6, 8)
    year: int = 2021
    title: str = (
        "phát động thi đua tuyên truyền, hướng dẫn người dân, doanh nghiệp tạo tài khoản và nộp hồ sơ "
        "giải quyết thủ tục hành chính trên Cổng dịch vụ công trực tuyến mức độ 3, mức độ 4 trong cải "
        "cách hành chính huyện Châu Thành A năm 2021"
    )
    movement: str = (
        "phong trào thi đua tuyên truyền, hướng dẫn người dân, doanh nghiệp tạo tài khoản và nộp hồ sơ "
        "giải quyết thủ tục hành chính trên Cổng dịch vụ công trực tuyến mức độ 3, mức độ 4 năm 2021"
    )
    short: str = "phong trào thi đua thực hiện dịch vụ công trực tuyến mức độ 3, mức độ 4 năm 2021"
    """the movement's short name, used in the subject lines (trích yếu)"""
    online_wording: str = "trực tuyến mức độ 3, 4"
    """how the plan names the online services its figures count (the campaign's setting); since Decree
    42/2022 "trực tuyến toàn trình, một phần" """
    legal_basis: tuple[str, ...] = DEFAULT_LEGAL_BASIS
    """the "Căn cứ …;" lines that open a Quyết định khen thưởng, before the plan's own citation"""
    groups: Mapping[str, str] = field(default_factory=lambda: dict(PLAN_211_GROUPS))
    """the rubric's groups: key -> label, e.g. "commune" -> "Xã, thị trấn" """
    min_total: int = MIN_TOTAL
    """the rubric's eligibility line: a unit is ranked from this many points"""

    def citation(self, district: DistrictInfo) -> str:
        number = f" số {self.number}" if self.number else ""
        return f"Kế hoạch{number} {vn_date_words(self.date)} của Ủy ban nhân dân {district.locality} về {self.title}"

    def group_words(self, group: str) -> str:
        """"xã, thị trấn": the group's units as a sentence names them."""
        return _lower_first(self.groups.get(group) or group)

    def group_label(self, group: str) -> str:
        """"Khối xã, thị trấn": the group as a heading names it."""
        return f"Khối {self.group_words(group)}" if group in self.groups else GROUP_LABELS.get(group, group)


@dataclass(frozen=True, kw_only=True)
class RankedUnit:
    """One unit's line of the ranking (what a :class:`thidua.scoring.Scorecard` carries)."""

    rank: int | None
    code: str
    name: str
    group: str
    criteria: Mapping[str, int]
    penalty: int
    total: int
    eligible: bool
    tie: bool = False
    tie_resolved: bool = False

    @classmethod
    def from_scorecard(cls, card: Any) -> RankedUnit:
        """Duck-typed adapter for ``thidua.scoring.Scorecard`` (no import of the scoring package)."""
        return cls(
            rank=card.rank,
            code=card.code,
            name=card.name,
            group=card.group,
            criteria=dict(card.criteria_points),
            penalty=card.penalty,
            total=card.total,
            eligible=card.eligible,
            tie=card.tie,
            tie_resolved=getattr(card, "tie_resolved", False),
        )


@dataclass(frozen=True, kw_only=True)
class IndividualProposal:
    full_name: str
    position: str
    unit_name: str
    achievement: str
    birth_date: date | None = None
    gender: str | None = None  # "Nam" / "Nữ"
    hometown: str | None = None
    past_awards: Sequence[str] = ()
    award_label: str | None = None  # default: the issuer's award (DistrictInfo.award)

    @property
    def honorific_name(self) -> str:
        prefix = {"Nam": "Ông ", "Nữ": "Bà "}.get(self.gender or "", "")
        return prefix + self.full_name


@dataclass(frozen=True, kw_only=True)
class CollectiveProposal:
    """A collective proposed for an award, with the individuals proposed from it.

    ``figures`` holds the campaign figures shown in its achievement report, any of: ``procedures``,
    ``accounts``, ``dossiers`` (ints), ``resolution_rate`` (text such as ``"99,2%"``), ``score``.
    """

    unit_code: str
    unit_name: str
    award_label: str | None = None  # default: the issuer's award (DistrictInfo.award)
    place: int | None = None
    prize_vnd: int = 0
    bonus_points: int = 0
    figures: Mapping[str, Any] = field(default_factory=dict)
    individuals: Sequence[IndividualProposal] = ()
    group: str = "commune"
    head_name: str = ""
    head_title: str | None = None  # default: CHỦ TỊCH (commune) / TRƯỞNG PHÒNG (department)
    # the head's position as the registry gives it ("Giám đốc", "Trưởng ban", "Chánh Văn phòng"): signs for a unit
    # that is neither a commune, a Phòng nor a Sở (whose heads sign as they always do)
    head_position: str = ""
    symbol: str | None = None  # e.g. "UBND", "PTP"; default derived from the name
    characteristics: str | None = None
    functions: str | None = None
    achievements: Sequence[str] = ()
    past_awards: Sequence[str] = ()

    @property
    def collective_name(self) -> str:
        """The name the award is given to: ``Ủy ban nhân dân thị trấn Một Ngàn``, ``Phòng Tư pháp``."""
        if self.group == "commune":
            return f"Ủy ban nhân dân {_lower_first(self.unit_name)}"
        return self.unit_name


@dataclass(frozen=True, kw_only=True)
class Person:
    name: str
    position: str
    note: str | None = None  # e.g. the reason for an absence


@dataclass(frozen=True, kw_only=True)
class MeetingInfo:
    date: date
    time_start: time
    time_end: time
    place: str
    chair: Person
    secretary: Person
    members_present: Sequence[Person] = ()
    members_absent: Sequence[Person] = ()
    agreement: str | None = None  # default: all present agree to propose the award (worded by the issuer)


# ------------------------------------------------------------------------------------ helpers
def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _initials(name: str) -> str:
    stripped = "".join(
        c
        for c in unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
        if not unicodedata.combining(c)
    )
    words = [w for w in stripped.replace("-", " ").split() if w.lower() not in {"va", "huyen", "tinh"}]
    return "".join(w[0].upper() for w in words)


def _unit_header(p: CollectiveProposal, district: DistrictInfo) -> tuple[str | None, str, str]:
    """(parent body, issuer, symbol suffix) for a document the unit itself issues."""
    if p.group == "commune":
        return None, "ỦY BAN NHÂN DÂN\n" + upper_vi(p.unit_name), p.symbol or "UBND"
    return district.parent_body, upper_vi(p.unit_name), p.symbol or _initials(p.unit_name)


_COMMUNE_KINDS = ("thị trấn ", "xã ", "phường ", "đặc khu ")


def _commune_place(unit_name: str) -> str:
    """The place name of a document a commune issues (Decree 30/2020, Appendix I): the commune's own
    name, "Xã Tân Hòa" → "Tân Hòa", "Đặc khu Vân Đồn" → "Vân Đồn"; a commune named by a number keeps its full
    name ("Phường 1")."""
    for kind in _COMMUNE_KINDS:
        if unit_name.lower().startswith(kind):
            name = unit_name[len(kind) :].strip()
            return name if name and not name[0].isdigit() else unit_name
    return unit_name


def _unit_head_signature(p: CollectiveProposal) -> Signature:
    if p.head_title:
        lines = tuple(p.head_title.split("\n"))
    elif p.group == "commune":
        lines = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    elif p.unit_name.startswith("Phòng"):
        lines = ("TRƯỞNG PHÒNG",)
    elif p.unit_name.startswith("Sở"):
        lines = ("GIÁM ĐỐC",)
    else:
        lines = (upper_vi(" ".join(p.head_position.split())) or "THỦ TRƯỞNG ĐƠN VỊ",)
    return Signature(authority_lines=lines, signer_name=p.head_name)


def _time_words(t: time) -> str:
    return f"{t.hour:02d} giờ {t.minute:02d} phút"


def _points(n: Any) -> str:
    """Points as the documents print them: ``1250`` → ``"1.250"`` (bonus points have no limit in Plan 211,
    so a total can pass a thousand), ``-4`` → ``"-4"``; a score given as text is printed as it is."""
    if isinstance(n, bool) or not isinstance(n, int):
        return str(n)
    return ("-" if n < 0 else "") + format_int(abs(n))


def _rank_text(u: RankedUnit) -> str:
    return str(u.rank) if u.rank is not None else "-"


def _note(u: RankedUnit, min_total: int) -> str:
    if not u.eligible:
        return f"Dưới {min_total} điểm"
    if u.tie and u.tie_resolved:
        return "Bằng điểm, Hội đồng đã xếp thứ tự"
    if u.tie:
        return "Bằng điểm, chờ Hội đồng xét"
    return ""


def _enumerated(items: Sequence[str]) -> tuple[str, ...]:
    """The items of a list as an official text writes them: each ends with a semicolon, the last with a full stop."""
    return tuple(f"{item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items))


def _sorted(units: Sequence[RankedUnit]) -> list[RankedUnit]:
    return sorted(units, key=lambda u: (u.rank is None, u.rank or 0, -u.total, u.name))


def _ranking_table(
    units: Sequence[RankedUnit],
    labels: Sequence[tuple[str, str]],
    *,
    eligible_column: bool,
    font_size: float,
    min_total: int,
) -> Table:
    headers = ["STT", "Đơn vị", *(label for _, label in labels), "Trừ điểm", "Tổng điểm"]
    widths = [7, 28, *([9] * len(labels)), 8, 8]
    aligns: list[str] = ["center", "left", *(["center"] * len(labels)), "center", "center"]
    if eligible_column:
        headers.append(f"Đạt {min_total} điểm")
        widths.append(8)
        aligns.append("center")
    headers += ["Xếp hạng", "Ghi chú"]
    widths += [8, 16]
    aligns += ["center", "left"]
    rows = []
    for i, u in enumerate(_sorted(units), start=1):
        row = [str(i), u.name, *(_points(u.criteria.get(key, 0)) for key, _ in labels)]
        row += [_points(u.penalty), _points(u.total)]
        if eligible_column:
            row.append("Đạt" if u.eligible else "Không")
        row += [_rank_text(u), _note(u, min_total)]
        rows.append(tuple(row))
    return Table(
        headers=tuple(headers),
        rows=tuple(rows),
        widths=tuple(widths),
        aligns=tuple(aligns),  # type: ignore[arg-type]
        font_size=font_size,
    )


def _by_group(units: Sequence[RankedUnit]) -> list[tuple[str, list[RankedUnit]]]:
    out = []
    for group in ("commune", "department"):
        members = [u for u in units if u.group == group]
        if members:
            out.append((group, members))
    others = sorted({u.group for u in units} - set(GROUP_LABELS))
    out += [(g, [u for u in units if u.group == g]) for g in others]
    return out


def _place_text(p: CollectiveProposal, plan: PlanInfo) -> str:
    if p.place is None:
        return ""
    return f"Hạng {PLACE_NAMES.get(p.place, str(p.place))} {_lower_first(plan.group_label(p.group))}"


def _award_tables(
    proposals: Sequence[CollectiveProposal], district: DistrictInfo, plan: PlanInfo
) -> tuple[list[Block], int, int, int]:
    """The collective and individual award tables; returns (blocks, collectives, individuals, money)."""
    total = sum(p.prize_vnd for p in proposals)
    rows = []
    for i, p in enumerate(proposals, start=1):
        prize = format_vnd(p.prize_vnd) if p.prize_vnd else "-"
        rows.append((str(i), p.collective_name, p.award_label or district.award, prize, _place_text(p, plan)))
    rows.append(("", "Tổng cộng", "", format_vnd(total), ""))
    blocks: list[Block] = [
        Heading(f"a) Tập thể: {len(proposals)} tập thể", level=2),
        Table(
            headers=("STT", "Tên tập thể", "Hình thức khen thưởng", "Tiền thưởng", "Ghi chú"),
            rows=tuple(rows),
            widths=(6, 36, 26, 16, 16),
            aligns=("center", "left", "left", "right", "left"),
            bold_last_row=True,
        ),
    ]
    people = [(person, p) for p in proposals for person in p.individuals]
    if people:
        prow = tuple(
            (str(i), person.honorific_name, f"{person.position}, {person.unit_name}",
             person.award_label or district.award)
            for i, (person, _) in enumerate(people, start=1)
        )
        blocks += [
            Heading(f"b) Cá nhân: {len(people)} cá nhân", level=2),
            Table(
                headers=("STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Hình thức khen thưởng"),
                rows=prow,
                widths=(6, 26, 42, 26),
                aligns=("center", "left", "left", "left"),
            ),
        ]
    return blocks, len(proposals), len(people), total


def _money_line(total: int) -> str:
    return f"Tổng kinh phí khen thưởng: {format_vnd(total)} (Bằng chữ: {vnd_in_words(total)})."


# ----------------------------------------------------------------------------------- builders
def _office_document(district: DistrictInfo, **parts: Any) -> OfficialDocument:
    """A document the Home Affairs Office issues and its head signs (Tờ trình, Bảng tổng hợp, Thông báo): the
    issuer's header, place and signature; ``parts`` give the rest of the :class:`OfficialDocument`."""
    return OfficialDocument(
        parent_body=district.parent_body,
        issuer=district.issuer,
        place=district.place,
        signature=Signature(
            authority_lines=(district.home_affairs_title,), signer_name=district.head_of_home_affairs_name
        ),
        **parts,
    )


def to_trinh_de_nghi_khen_thuong(
    district: DistrictInfo,
    plan: PlanInfo,
    proposals: Sequence[CollectiveProposal],
    *,
    ranked: Sequence[RankedUnit] = (),
    meeting_date: date | None = None,
    number: str | None = None,
    date: date | None = None,
) -> OfficialDocument:
    """Tờ trình đề nghị khen thưởng: the Home Affairs Office (Department) to the Chairman."""
    blocks: list[Block] = [
        Paragraph(f"Căn cứ {plan.citation(district)};"),
    ]
    if meeting_date is not None:
        blocks.append(
            Paragraph(
                f"Căn cứ kết quả họp xét khen thưởng {vn_date_words(meeting_date)} (có Biên bản họp xét kèm theo);"
            )
        )
    blocks.append(
        Paragraph(
            f"{district.home_affairs_local} đã tổng hợp, chấm điểm thi đua đối với các "
            f"{plan.group_words('department')} và Ủy ban nhân dân các {plan.group_words('commune')} trong "
            f"{plan.movement}. Kết quả như sau:"
        )
    )
    blocks.append(Heading("1. Kết quả chấm điểm, xếp hạng", level=2))
    for group, members in _by_group(ranked):
        eligible = [u for u in members if u.eligible]
        blocks.append(
            Paragraph(
                f"{plan.group_label(group)}: {len(members)} đơn vị được chấm điểm, "
                f"{len(eligible)} đơn vị đạt từ {plan.min_total} điểm trở lên."
            )
        )
    communes = sorted((p for p in proposals if p.place is not None), key=lambda p: p.place or 0)
    if communes:
        blocks.append(
            Bullets(
                _enumerated([
                    f"Hạng {PLACE_NAMES.get(p.place or 0, str(p.place))}: {p.unit_name}"
                    + (f" ({_points(p.figures['score'])} điểm)" if "score" in p.figures else "")
                    + f", thưởng {format_vnd(p.prize_vnd)}, cộng {p.bonus_points} điểm vào thành tích "
                    f"kinh tế - xã hội năm {plan.year}"
                    for p in communes
                ])
            )
        )
    tables, n_coll, n_people, total = _award_tables(proposals, district, plan)
    blocks.append(Heading("2. Đề nghị khen thưởng", level=2))
    blocks.append(
        Paragraph(
            f"{district.home_affairs} đề nghị Chủ tịch {district.committee_name} tặng {district.award_name} "
            f"cho {_recipients(n_coll, n_people)} đã có thành tích xuất sắc trong {plan.movement}, "
            "cụ thể như sau:"
        )
    )
    blocks += tables
    blocks.append(Paragraph(_money_line(total)))
    blocks.append(
        Paragraph(f"{district.home_affairs} kính trình Chủ tịch {district.committee_name} xem xét, quyết định./.")
    )
    return _office_document(
        district,
        year=plan.year,
        number=number,
        symbol=f"TTr-{district.issuer_symbol}",
        date=date,
        doc_type="TỜ TRÌNH",
        subject=f"Về việc đề nghị khen thưởng tập thể, cá nhân có thành tích xuất sắc trong {plan.short}",
        recipient_line=f"Kính gửi: Chủ tịch Ủy ban nhân dân {district.locality}",
        blocks=tuple(blocks),
        recipients=("Như trên;", f"Lưu: VT, {district.issuer_symbol}."),
        title="Tờ trình đề nghị khen thưởng",
    )


def bien_ban_hop_xet(
    district: DistrictInfo,
    plan: PlanInfo,
    meeting: MeetingInfo,
    ranked: Sequence[RankedUnit],
    proposals: Sequence[CollectiveProposal],
    *,
    number: str | None = None,
    labels: Sequence[tuple[str, str]] = DEFAULT_CRITERIA,
) -> OfficialDocument:
    """Biên bản họp xét khen thưởng, signed by the chair and the secretary side by side."""
    m = meeting

    def who(p: Person) -> str:  # "Họ tên - Chức vụ (ghi chú)"; a line without a position has no dangling " - "
        return p.name + (f" - {p.position}" if p.position else "") + (f" ({p.note})" if p.note else "")

    blocks: list[Block] = [
        Paragraph(
            f"Vào lúc {_time_words(m.time_start)}, {vn_date_words(m.date)}, tại {m.place}, "
            f"{district.home_affairs} {district.locality} tổ chức họp xét khen thưởng cuối năm {plan.movement} "
            f"theo {plan.citation(district)}."
        ),
        Heading("I. THÀNH PHẦN THAM DỰ"),
        Paragraph(f"1. Chủ trì: {who(m.chair)}."),
        Paragraph(f"2. Thư ký: {who(m.secretary)}."),
        Paragraph(f"3. Thành viên có mặt: {len(m.members_present)} người, gồm:"),
    ]
    if m.members_present:
        blocks.append(Bullets(_enumerated([who(p) for p in m.members_present])))
    if m.members_absent:
        blocks.append(Paragraph(f"4. Thành viên vắng mặt: {len(m.members_absent)} người, gồm:"))
        blocks.append(Bullets(_enumerated([who(p) for p in m.members_absent])))
    else:
        blocks.append(Paragraph("4. Thành viên vắng mặt: không."))
    blocks += [
        Heading("II. NỘI DUNG"),
        Paragraph(
            "Thư ký cuộc họp thông qua kết quả chấm điểm, xếp hạng thi đua của các cơ quan, đơn vị do "
            f"{district.home_affairs} tổng hợp. Các thành viên dự họp đã xem xét kết quả theo từng khối như sau:"
        ),
    ]
    for i, (group, members) in enumerate(_by_group(ranked), start=1):
        blocks.append(Heading(f"{i}. {plan.group_label(group)}", level=2))
        blocks.append(_ranking_table(members, labels, eligible_column=False, font_size=11, min_total=plan.min_total))
    tables, n_coll, n_people, total = _award_tables(proposals, district, plan)
    blocks += [
        Heading("III. KẾT QUẢ XÉT KHEN THƯỞNG"),
        Paragraph(
            m.agreement
            or f"Các thành viên dự họp thống nhất 100% đề nghị Chủ tịch {district.committee_name} tặng "
            f"{district.award_name} cho các tập thể, cá nhân có tên trong danh sách dưới đây."
        ),
        Paragraph(f"Danh sách thống nhất đề nghị khen thưởng: {_recipients(n_coll, n_people)}, cụ thể:"),
        *tables,
        Paragraph(_money_line(total)),
        Paragraph(
            f"Cuộc họp kết thúc vào lúc {_time_words(m.time_end)} cùng ngày. Biên bản đã được đọc lại "
            "cho các thành viên dự họp cùng nghe và thống nhất./."
        ),
        Signatures(
            left=Signature(authority_lines=("THƯ KÝ",), signer_name=m.secretary.name),
            right=Signature(authority_lines=("CHỦ TRÌ",), signer_name=m.chair.name),
        ),
    ]
    return OfficialDocument(
        year=plan.year,
        parent_body=district.parent_body,
        issuer=district.issuer,
        number=number,
        symbol=f"BB-{district.issuer_symbol}",
        place=district.place,
        date=m.date,
        doc_type="BIÊN BẢN",
        subject=f"Họp xét khen thưởng {plan.short}",
        recipient_line=None,
        blocks=tuple(blocks),
        signature=None,
        title="Biên bản họp xét khen thưởng",
    )


def _figure_bullets(p: CollectiveProposal, online_wording: str) -> list[str]:
    f = p.figures
    items = []
    if "procedures" in f:
        items.append(
            f"Rà soát, đăng ký {format_int(f['procedures'])} thủ tục hành chính giải quyết {online_wording};"
        )
    if "accounts" in f:
        items.append(
            f"Tuyên truyền, vận động người dân, doanh nghiệp tạo {format_int(f['accounts'])} tài khoản "
            "trên Cổng dịch vụ công trực tuyến;"
        )
    if "dossiers" in f:
        items.append(f"Tiếp nhận {format_int(f['dossiers'])} hồ sơ {online_wording};")
    if "resolution_rate" in f:
        items.append(f"Tỷ lệ giải quyết hồ sơ trực tuyến trước hạn, đúng hạn đạt {f['resolution_rate']};")
    items += [f"{a.rstrip(';.')};" for a in p.achievements]
    if items:
        items[-1] = items[-1][:-1] + "."
    return items


def bao_cao_thanh_tich_tap_the(
    district: DistrictInfo,
    plan: PlanInfo,
    proposal: CollectiveProposal,
    *,
    ranked: RankedUnit | None = None,
    labels: Sequence[tuple[str, str]] = DEFAULT_CRITERIA,
    number: str | None = None,
    date: date | None = None,
) -> OfficialDocument:
    """Báo cáo thành tích of a collective, issued and signed by the unit itself."""
    p = proposal
    parent, issuer, symbol = _unit_header(p, district)
    if p.group == "commune":
        default_chars = (
            f"{p.unit_name} là đơn vị hành chính cấp xã thuộc {district.locality}."
            if district.province_level
            else f"{p.unit_name} là đơn vị hành chính cấp xã thuộc {district.locality}, tỉnh {district.province}."
        )
        default_funcs = (
            f"Ủy ban nhân dân {_lower_first(p.unit_name)} thực hiện chức năng quản lý nhà nước trên địa "
            "bàn; tiếp nhận và giải quyết thủ tục hành chính thuộc thẩm quyền cấp xã theo cơ chế một cửa, "
            "một cửa liên thông."
        )
    else:
        default_chars = f"{p.unit_name} là cơ quan, đơn vị thuộc Ủy ban nhân dân {district.locality}."
        default_funcs = (
            f"{p.unit_name} tham mưu, giúp {district.committee_name} thực hiện chức năng quản lý nhà nước "
            "trong lĩnh vực được giao; tiếp nhận và giải quyết thủ tục hành chính thuộc thẩm quyền."
        )
    blocks: list[Block] = [
        Paragraph(f"Tên tập thể đề nghị: {p.collective_name}", bold=True),
        Heading("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH"),
        Heading("1. Đặc điểm, tình hình", level=2),
        Paragraph(p.characteristics or default_chars),
        Heading("2. Chức năng, nhiệm vụ", level=2),
        Paragraph(p.functions or default_funcs),
        Heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
        Paragraph(
            f"Thực hiện {plan.citation(district)}, {p.collective_name} đã xây dựng kế hoạch, tổ chức "
            "triển khai đến toàn thể cán bộ, công chức và đạt được các kết quả sau:"
        ),
    ]
    bullets = _figure_bullets(p, plan.online_wording)
    if bullets:
        blocks.append(Bullets(tuple(bullets)))
    score = ranked.total if ranked is not None else p.figures.get("score")
    if score is not None:
        result = f"Kết quả chấm điểm thi đua: {_points(score)} điểm"
        if ranked is not None and ranked.rank is not None:
            result += f", xếp hạng {ranked.rank} {_lower_first(plan.group_label(p.group))}"
        blocks.append(Paragraph(result + "."))
    if ranked is not None:
        rows = tuple((label, _points(ranked.criteria.get(key, 0))) for key, label in labels)
        rows += (("Trừ điểm báo cáo", _points(ranked.penalty)), ("Tổng điểm", _points(ranked.total)))
        blocks.append(
            Table(
                headers=("Tiêu chí", "Điểm"),
                rows=rows,
                widths=(7, 3),
                aligns=("left", "center"),
                bold_last_row=True,
            )
        )
    if p.place is not None:
        blocks.append(
            Paragraph(
                f"Đơn vị đạt hạng {PLACE_NAMES.get(p.place, str(p.place))} "
                f"{_lower_first(plan.group_label(p.group))}, được thưởng {format_vnd(p.prize_vnd)} "
                f"và cộng {p.bonus_points} điểm vào thành tích kinh tế - xã hội năm {plan.year}."
            )
        )
    blocks.append(Heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC NHẬN"))
    blocks.append(Bullets(tuple(p.past_awards)) if p.past_awards else Paragraph("Không."))
    return OfficialDocument(
        year=plan.year,
        parent_body=parent,
        issuer=issuer,
        number=number,
        symbol=f"BC-{symbol}",
        place=_commune_place(p.unit_name) if p.group == "commune" else district.place,
        date=date,
        doc_type="BÁO CÁO THÀNH TÍCH",
        subject=f"Đề nghị tặng {p.award_label or district.award}",
        recipient_line=None,
        blocks=tuple(blocks),
        signature=_unit_head_signature(p),
        recipients=(f"{district.home_affairs_local};", "Lưu: VT."),
        title=f"Báo cáo thành tích - {p.unit_name}",
    )


def bao_cao_thanh_tich_ca_nhan(
    district: DistrictInfo,
    plan: PlanInfo,
    person: IndividualProposal,
    *,
    unit: CollectiveProposal | None = None,
    date: date | None = None,
) -> OfficialDocument:
    """Báo cáo thành tích of an individual (personal form), confirmed by the head of the unit."""
    birth = format_date(person.birth_date) if person.birth_date else "..../..../........"
    lines = [f"Họ và tên: {person.full_name}", f"Sinh ngày, tháng, năm: {birth}"]
    if person.gender:
        lines.append(f"Giới tính: {person.gender}")
    if person.hometown:
        lines.append(f"Quê quán: {person.hometown}")
    lines += [f"Chức vụ: {person.position}", f"Đơn vị công tác: {person.unit_name}"]
    blocks: list[Block] = [
        Heading("I. SƠ LƯỢC LÝ LỊCH"),
        Bullets(tuple(lines)),
        Heading("II. THÀNH TÍCH ĐẠT ĐƯỢC"),
        Heading("1. Quyền hạn, nhiệm vụ được giao", level=2),
        Paragraph(
            f"{person.position} tại {person.unit_name}; trực tiếp tham gia tuyên truyền, hướng dẫn người "
            "dân, doanh nghiệp tạo tài khoản và nộp hồ sơ trên Cổng dịch vụ công trực tuyến."
        ),
        Heading("2. Thành tích đạt được", level=2),
        Paragraph(
            f"Thực hiện {plan.citation(district)}, bản thân đã tích cực thực hiện nhiệm vụ được giao: "
            f"{person.achievement.rstrip('.')}."
        ),
    ]
    if unit is not None and unit.place is not None:
        blocks.append(
            Paragraph(
                f"Góp phần cùng tập thể {unit.collective_name} đạt hạng "
                f"{PLACE_NAMES.get(unit.place, str(unit.place))} "
                f"{_lower_first(plan.group_label(unit.group))}."
            )
        )
    blocks.append(Heading("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC NHẬN"))
    blocks.append(Bullets(tuple(person.past_awards)) if person.past_awards else Paragraph("Không."))
    head = unit.head_name if unit is not None else ""
    blocks.append(
        Signatures(
            left=Signature(
                authority_lines=("XÁC NHẬN CỦA", "THỦ TRƯỞNG ĐƠN VỊ"), signer_name=head, note="(Ký, đóng dấu)"
            ),
            right=Signature(
                authority_lines=("NGƯỜI BÁO CÁO THÀNH TÍCH",),
                signer_name=person.full_name,
                note="(Ký, ghi rõ họ và tên)",
            ),
        )
    )
    return OfficialDocument(
        year=plan.year,
        parent_body=None,
        issuer="",
        number=None,
        # written where the person works: a commune's officer at the commune, as its own report
        place=_commune_place(unit.unit_name) if unit is not None and unit.group == "commune" else district.place,
        date=date,
        doc_type="BÁO CÁO THÀNH TÍCH",
        subject=f"Đề nghị tặng {person.award_label or district.award}",
        recipient_line=None,
        blocks=tuple(blocks),
        signature=None,
        title=f"Báo cáo thành tích - {person.full_name}",
    )




def quyet_dinh_khen_thuong(
    district: DistrictInfo,
    plan: PlanInfo,
    proposals: Sequence[CollectiveProposal],
    *,
    number: str | None = None,
    date: date | None = None,
    to_trinh_number: str | None = None,
    to_trinh_date: date | None = None,
    legal_basis: Sequence[str] | None = None,
    budget_source: str | None = None,
) -> OfficialDocument:
    """Quyết định khen thưởng of the Chairman (Điều 1 awards, Điều 2 budget, Điều 3 execution)."""
    authority = f"CHỦ TỊCH {district.committee}"
    if to_trinh_number:
        to_trinh = f"Tờ trình số {to_trinh_number}"
    else:  # the same blank as the Tờ trình's own number line
        to_trinh = f"Tờ trình số      /TTr-{district.issuer_symbol}"
    if to_trinh_date:
        to_trinh += f" {vn_date_words(to_trinh_date)}"
    tables, n_coll, n_people, total = _award_tables(proposals, district, plan)
    source = budget_source or f"nguồn kinh phí thi đua, khen thưởng năm {plan.year} của {district.kind}"
    blocks: list[Block] = [
        Heading(authority, align="center"),
        *(Paragraph(line, italic=True) for line in (plan.legal_basis if legal_basis is None else legal_basis)),
        Paragraph(f"Căn cứ {plan.citation(district)};", italic=True),
        Paragraph(f"Xét đề nghị của {district.home_affairs_head} tại {to_trinh}.", italic=True),
        Heading("QUYẾT ĐỊNH:", align="center"),
        Paragraph(
            lead="Điều 1.",
            text=f"Tặng {district.award_name} của Chủ tịch {district.committee_name} cho "
            f"{_recipients(n_coll, n_people)} đã có thành tích xuất sắc trong {plan.movement}, gồm:",
        ),
        *tables,
        Paragraph(
            lead="Điều 2.",
            text=f"Kèm theo {district.award_name}, các tập thể được thưởng theo mức tại Điều 1. "
            f"{_money_line(total)[:-1]}, chi từ {source}.",
        ),
        Paragraph(
            lead="Điều 3.",
            text=f"{district.executors}, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập "
            "thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu "
            "lực kể từ ngày ký./.",
        ),
    ]
    return OfficialDocument(
        year=plan.year,
        parent_body=None,
        issuer=district.committee_header,
        number=number,
        symbol="QĐ-UBND",
        place=district.place,
        date=date,
        doc_type="QUYẾT ĐỊNH",
        subject=f"Về việc tặng {district.award_name} cho {_who(n_coll, n_people)} có thành tích xuất sắc trong "
                f"{plan.short}",
        recipient_line=None,
        blocks=tuple(blocks),
        signature=Signature(authority_lines=("CHỦ TỊCH",), signer_name=district.chairman_name),
        recipients=(
            "Như Điều 3;",
            f"TT. {district.party_committee}, HĐND {district.kind};",
            f"Chủ tịch, các PCT UBND {district.kind};",
            "Lưu: VT, NV.",
        ),
        title="Quyết định khen thưởng",
    )


def _who(collectives: int, people: int) -> str:
    """A Quyết định's subject names whom it awards: "tập thể, cá nhân", or only one of them."""
    return "tập thể, cá nhân" if collectives and people else ("cá nhân" if people else "tập thể")


def _recipients(collectives: int, people: int) -> str:
    """ "2 tập thể và 5 cá nhân", "1 tập thể", "3 cá nhân": what an award goes to, naming no zero."""
    parts = [f"{n} {what}" for n, what in ((collectives, "tập thể"), (people, "cá nhân")) if n]
    return " và ".join(parts) or "0 tập thể"


def giay_khen(
    district: DistrictInfo,
    plan: PlanInfo,
    recipient: CollectiveProposal | IndividualProposal,
    *,
    decision_number: str | None = None,
    decision_date: date | None = None,
) -> OfficialDocument:
    """The Chairman's certificate (A4 landscape): a district's Giấy khen or a province's Bằng khen."""
    if isinstance(recipient, CollectiveProposal):
        blocks: list[Block] = [
            Paragraph(recipient.collective_name, bold=True, indent=False, align="center", size=24),
        ]
        place = _place_text(recipient, plan)
    else:
        blocks = [
            Paragraph(recipient.honorific_name, bold=True, indent=False, align="center", size=24),
            Paragraph(f"{recipient.position}, {recipient.unit_name}", indent=False, align="center", size=15),
        ]
        place = ""
    blocks.append(
        Paragraph(
            f"Đã có thành tích xuất sắc trong {plan.movement}",
            italic=True,
            indent=False,
            align="center",
            size=16,
        )
    )
    if place:
        blocks.append(Paragraph(f"({place})", italic=True, indent=False, align="center", size=15))
    name = recipient.collective_name if isinstance(recipient, CollectiveProposal) else recipient.full_name
    return OfficialDocument(
        year=plan.year,
        parent_body=None,
        issuer=f"CHỦ TỊCH {district.committee}",
        number=decision_number,
        symbol="QĐ-UBND",
        place=district.place,
        date=decision_date,
        doc_type=upper_vi(district.award_name),
        subject=None,
        recipient_line=None,
        blocks=tuple(blocks),
        signature=Signature(authority_lines=("CHỦ TỊCH",), signer_name=district.chairman_name),
        landscape=True,
        layout="certificate",
        title=f"{district.award_name} - {name}",
    )


def bang_tong_hop_cham_diem(
    district: DistrictInfo,
    plan: PlanInfo,
    ranked: Sequence[RankedUnit],
    *,
    as_of: date,
    number: str | None = None,
    date: date | None = None,
    labels: Sequence[tuple[str, str]] = DEFAULT_CRITERIA,
) -> OfficialDocument:
    """Bảng tổng hợp chấm điểm: the ranking of both groups with every criterion (A4 landscape)."""
    blocks: list[Block] = [
        Paragraph(
            f"Kết quả chấm điểm theo {plan.citation(district)}, tính đến ngày {format_date(as_of)}. "
            f"Đơn vị đạt từ {plan.min_total} điểm trở lên mới được xếp hạng; đơn vị bằng điểm do Hội đồng xét.",
        )
    ]
    romans = ("I", "II", "III", "IV")
    for i, (group, members) in enumerate(_by_group(ranked)):
        blocks.append(Heading(f"{romans[i % 4]}. {upper_vi(plan.group_label(group))}"))
        blocks.append(_ranking_table(members, labels, eligible_column=True, font_size=12, min_total=plan.min_total))
    return _office_document(
        district,
        year=plan.year,
        number=number,
        symbol=f"BTH-{district.issuer_symbol}",
        date=date or as_of,
        doc_type="BẢNG TỔNG HỢP",
        subject=f"Kết quả chấm điểm, xếp hạng {plan.short}",
        recipient_line=None,
        blocks=tuple(blocks),
        recipients=(f"Chủ tịch UBND {district.kind};", f"Lưu: VT, {district.issuer_symbol}."),
        landscape=True,
        title="Bảng tổng hợp chấm điểm",
    )


@dataclass(frozen=True, kw_only=True)
class MonthReporting:
    """How the units reported for one month, as the review matrix shows its column: the deadline, how many
    units owed the report and sent it on time, and the names of the others (each with its days where late)."""

    due: date
    owed: int
    on_time: int
    late: tuple[tuple[str, int], ...] = ()  # (unit, days late)
    missing: tuple[str, ...] = ()  # no report: the unit, and how far overdue while a late one may still come
    untruthful: tuple[str, ...] = ()  # reports found untruthful (at review or a later phúc tra)
    deductions: str = ""  # the rubric's deductions, a sentence ("trễ 1–3 ngày trừ 2 điểm; …")


@dataclass(frozen=True, kw_only=True)
class MonthAward:
    """The month's award as decided: the unit (under its name then), the prize, and the signed Quyết định once
    its number is recorded."""

    unit_name: str
    prize_vnd: int = 0
    decision_number: str | None = None
    decision_date: date | None = None


def _standing_table(units: Sequence[RankedUnit], min_total: int) -> Table:
    """A group's standing in short (a notice's table): deductions, total, rank and the note on each unit."""
    rows = tuple(
        (str(i), u.name, _points(u.penalty), _points(u.total), _rank_text(u), _note(u, min_total))
        for i, u in enumerate(_sorted(units), start=1)
    )
    return Table(headers=("STT", "Đơn vị", "Trừ điểm", "Tổng điểm", "Xếp hạng", "Ghi chú"), rows=rows,
                 widths=(6, 40, 10, 10, 10, 24), aligns=("center", "left", "center", "center", "center", "left"),
                 font_size=12)


def thong_bao_ket_qua_thang(
    district: DistrictInfo,
    plan: PlanInfo,
    month: str,
    ranked: Sequence[RankedUnit],
    reporting: MonthReporting,
    *,
    as_of: date,
    award: MonthAward | None = None,
    year: int,
    number: str | None = None,
    date: date | None = None,
) -> OfficialDocument:
    """Thông báo kết quả chấm điểm, xếp hạng tháng: what the Home Affairs Office tells the units (and the
    radio, which Plan 211 asks to make the leading units known) once a month is closed: how the month's reports
    came in, the standing of each group so far, and the month's award."""
    month_words = f"tháng {int(month[5:])}/{month[:4]}"
    blocks: list[Block] = [Paragraph(
        f"Thực hiện {plan.citation(district)}; căn cứ báo cáo của các cơ quan, đơn vị và kết quả thẩm định, "
        f"{district.home_affairs_local} thông báo kết quả chấm điểm, xếp hạng thi đua {month_words} (tính đến ngày "
        f"{format_date(as_of)}) như sau:")]
    blocks.append(Heading("I. TÌNH HÌNH BÁO CÁO"))
    blocks.append(Paragraph(f"Hạn báo cáo {month_words}: ngày {format_date(reporting.due)}. Có "
                            f"{format_int(reporting.on_time)}/{format_int(reporting.owed)} cơ quan, đơn vị báo cáo "
                            "đúng hạn."))
    lines = []
    if reporting.late:
        lines.append("Báo cáo trễ hạn: " + "; ".join(f"{name} (trễ {days} ngày)" for name, days in reporting.late)
                     + ".")
    if reporting.missing:
        lines.append("Không báo cáo: " + "; ".join(reporting.missing) + ".")
    if reporting.untruthful:
        lines.append("Báo cáo không trung thực: " + "; ".join(reporting.untruthful) + ".")
    if lines:
        blocks.append(Bullets(tuple(lines)))
    if reporting.deductions:
        blocks.append(Paragraph(f"Mức trừ điểm theo Kế hoạch: {reporting.deductions}"))
    blocks.append(Heading(f"II. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG TÍNH ĐẾN HẾT {upper_vi(month_words)}"))
    blocks.append(Paragraph(f"Điểm lũy kế từ đầu đợt thi đua. Đơn vị đạt từ {plan.min_total} điểm trở lên mới được "
                            "xếp hạng; đơn vị bằng điểm do Hội đồng xét."))
    for i, (group, members) in enumerate(_by_group(ranked), start=1):
        blocks.append(Heading(f"{i}. {plan.group_label(group)}", level=2))
        blocks.append(_standing_table(members, plan.min_total))
    section = 3
    if award is not None:
        prize = f" kèm tiền thưởng {format_vnd(award.prize_vnd)}" if award.prize_vnd else ""
        if award.decision_number:
            signed = f" ngày {format_date(award.decision_date)}" if award.decision_date else ""
            text = (f"{award.unit_name} được Chủ tịch {district.committee_name} tặng {district.award_name}{prize} "
                    f"(Quyết định số {award.decision_number}{signed}), là tập thể tiêu biểu nhất {month_words}.")
        else:
            text = (f"{district.home_affairs_local} đề nghị Chủ tịch {district.committee_name} tặng "
                    f"{district.award_name}{prize} cho {award.unit_name}, là tập thể tiêu biểu nhất {month_words}.")
        blocks.append(Heading(f"III. KHEN THƯỞNG {upper_vi(month_words)}"))
        blocks.append(Paragraph(text))
        section = 4
    ask = ("Đề nghị các cơ quan, đơn vị tiếp tục đẩy mạnh tuyên truyền, hướng dẫn người dân, doanh nghiệp tạo tài "
           f"khoản và nộp hồ sơ dịch vụ công {plan.online_wording}; báo cáo kết quả đúng hạn, chính xác, trung thực. "
           f"Đơn vị chưa đạt {plan.min_total} điểm rà soát, khắc phục để được tính thi đua.")
    radio = None if district.province_level else f"Đài Truyền thanh {district.kind}"
    if radio:
        ask += f" Đề nghị {radio} đưa tin, nêu gương các đơn vị tiêu biểu."
    blocks.append(Heading(f"{('I', 'II', 'III', 'IV')[section - 1]}. ĐỀ NGHỊ"))
    blocks.append(Paragraph(ask))
    recipients = ["Các cơ quan, đơn vị tham gia thi đua;",
                  f"Chủ tịch, các Phó Chủ tịch UBND {district.kind} (để báo cáo);"]
    if radio:
        recipients.append(f"{radio};")
    recipients.append(f"Lưu: VT, {district.issuer_symbol}.")
    return _office_document(
        district,
        year=year,
        number=number,
        symbol=f"TB-{district.issuer_symbol}",
        date=date,
        doc_type="THÔNG BÁO",
        subject=f"Kết quả chấm điểm, xếp hạng {month_words} {plan.short}",
        recipient_line=None,
        blocks=tuple(blocks),
        recipients=tuple(recipients),
        title=f"Thông báo kết quả {month_words}",
    )


def year_end_dossier(
    district: DistrictInfo,
    plan: PlanInfo,
    proposals: Sequence[CollectiveProposal],
    ranked: Sequence[RankedUnit],
    meeting: MeetingInfo,
    *,
    as_of: date,
    to_trinh_date: date | None = None,
    decision_number: str | None = None,
    decision_date: date | None = None,
    to_trinh_number: str | None = None,
    labels: Sequence[tuple[str, str]] = DEFAULT_CRITERIA,
) -> list[tuple[str, OfficialDocument]]:
    """The whole year-end set as (file stem, document): Tờ trình, Biên bản, Bảng tổng hợp, one
    Báo cáo thành tích per collective and per individual, the Quyết định, one Giấy khen per
    collective and per individual. File stems are ASCII (unit codes), numbered in dossier order; an
    individual's are the unit's with their place among its nominees (``05-bao-cao-X-01``,
    ``07-giay-khen-X-01``; a province's Bằng khen ``07-bang-khen-X``)."""
    by_code = {u.code: u for u in ranked}
    docs: list[tuple[str, OfficialDocument]] = [
        (
            "01-to-trinh",
            to_trinh_de_nghi_khen_thuong(
                district, plan, proposals, ranked=ranked, meeting_date=meeting.date, number=to_trinh_number,
                date=to_trinh_date,
            ),
        ),
        ("02-bien-ban", bien_ban_hop_xet(district, plan, meeting, ranked, proposals, labels=labels)),
        ("03-bang-tong-hop", bang_tong_hop_cham_diem(district, plan, ranked, as_of=as_of, labels=labels)),
    ]
    for p in proposals:
        docs.append(
            (
                f"04-bao-cao-{p.unit_code}",
                bao_cao_thanh_tich_tap_the(district, plan, p, ranked=by_code.get(p.unit_code), labels=labels),
            )
        )
        for i, person in enumerate(p.individuals, start=1):
            docs.append(
                (f"05-bao-cao-{p.unit_code}-{i:02d}", bao_cao_thanh_tich_ca_nhan(district, plan, person, unit=p))
            )
    docs.append(
        (
            "06-quyet-dinh",
            quyet_dinh_khen_thuong(
                district,
                plan,
                proposals,
                number=decision_number,
                date=decision_date,
                to_trinh_number=to_trinh_number,
                to_trinh_date=to_trinh_date,
            ),
        )
    )
    for p in proposals:
        docs.append(
            (
                f"07-{district.award_slug}-{p.unit_code}",
                giay_khen(district, plan, p, decision_number=decision_number, decision_date=decision_date),
            )
        )
        for i, person in enumerate(p.individuals, start=1):
            docs.append(
                (
                    f"07-{district.award_slug}-{p.unit_code}-{i:02d}",
                    giay_khen(district, plan, person, decision_number=decision_number, decision_date=decision_date),
                )
            )
    return docs
