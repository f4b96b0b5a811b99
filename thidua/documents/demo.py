"""Demo data for the year-end reward dossier of Châu Thành A (Plan 211, 2021).

Plain values only (unit names from the 2021 registry; people are fictitious). Used by the tests,
the benchmark and the demo command. The points follow the rules of Plan 211 (RULES.md).
"""

from __future__ import annotations

from datetime import date, time

from .reward import (
    CollectiveProposal,
    DistrictInfo,
    IndividualProposal,
    MeetingInfo,
    Person,
    PlanInfo,
    RankedUnit,
)

__all__ = ["demo_district", "demo_meeting", "demo_plan", "demo_proposals", "demo_ranking"]


def demo_district() -> DistrictInfo:
    return DistrictInfo(chairman_name="Nguyễn Văn Thành", head_of_home_affairs_name="Lê Thị Mỹ Hạnh")


def demo_plan() -> PlanInfo:
    return PlanInfo()


def _points(group: str, plan: bool, n: int, a: int, d: int, r_tenths: int) -> dict[str, int]:
    threshold = 200 if group == "commune" else 150
    return {
        "plan": 10 if plan else 0,
        "procedures": -5 if n == 0 else 15 + 5 * (n - 1),
        "accounts": 0 if a < 1500 else 35 + 5 * ((a - 1500) // 100),
        "dossiers": 0 if d < threshold else 30 + 5 * ((d - threshold) // 20),
        "resolution": 0 if r_tenths < 980 else 10 + 5 * ((r_tenths - 980) // 10),
    }


# code, name, group, plan, procedures, accounts, dossiers, rate (tenths of %), penalty
_UNITS = (
    ("TT-MOT-NGAN", "Thị trấn Một Ngàn", "commune", True, 4, 1730, 262, 992, -4),
    ("X-TAN-HOA", "Xã Tân Hòa", "commune", True, 3, 1650, 245, 985, -2),
    ("TT-CAI-TAC", "Thị trấn Cái Tắc", "commune", True, 3, 1580, 228, 990, -5),
    ("TT-BAY-NGAN", "Thị trấn Bảy Ngàn", "commune", True, 2, 1540, 212, 981, -2),
    ("TT-RACH-GOI", "Thị trấn Rạch Gòi", "commune", True, 2, 1510, 205, 980, -7),
    ("X-NHON-NGHIA-A", "Xã Nhơn Nghĩa A", "commune", True, 1, 1500, 200, 975, 0),
    ("X-TAN-PHU-THANH", "Xã Tân Phú Thạnh", "commune", True, 1, 1320, 186, 990, -2),
    ("X-THANH-XUAN", "Xã Thạnh Xuân", "commune", False, 1, 1210, 150, 982, -5),
    ("X-TRUONG-LONG-A", "Xã Trường Long A", "commune", True, 0, 980, 120, 970, -5),
    ("X-TRUONG-LONG-TAY", "Xã Trường Long Tây", "commune", True, 1, 1050, 98, 1000, -10),
    ("BP-MOT-CUA", "Bộ phận tiếp nhận và trả kết quả huyện", "department", True, 6, 1820, 240, 1000, 0),
    ("P-TNMT", "Phòng Tài nguyên và Môi trường", "department", True, 5, 1700, 230, 995, -2),
    ("P-TU-PHAP", "Phòng Tư pháp", "department", True, 4, 1640, 196, 990, 0),
    ("P-LD-TBXH", "Phòng Lao động - Thương binh và Xã hội", "department", True, 4, 1600, 188, 985, -2),
    ("P-KT-HT", "Phòng Kinh tế và Hạ tầng", "department", True, 3, 1580, 175, 990, 0),
    ("VP-HDND-UBND", "Văn phòng HĐND và UBND huyện", "department", True, 3, 1550, 170, 982, -2),
    ("P-TAI-CHINH-KH", "Phòng Tài chính - Kế hoạch", "department", True, 2, 1520, 160, 990, 0),
    ("P-NN-PTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "department", True, 2, 1500, 152, 980, -2),
    ("P-NOI-VU", "Phòng Nội vụ", "department", True, 1, 1410, 140, 990, 0),
    ("P-VH-TT", "Phòng Văn hóa và Thông tin", "department", True, 1, 900, 60, 980, -5),
    ("P-GD-DT", "Phòng Giáo dục và Đào tạo", "department", False, 1, 600, 40, 990, 0),
    ("P-Y-TE", "Phòng Y tế", "department", True, 0, 300, 20, 0, -5),
)


def demo_ranking() -> list[RankedUnit]:
    """The year-end ranking of both groups (competition ranking among units with ≥ 90 points)."""
    cards = []
    for code, name, group, plan, n, a, d, r, penalty in _UNITS:
        criteria = _points(group, plan, n, a, d, r)
        total = sum(criteria.values()) + penalty
        cards.append((code, name, group, criteria, penalty, total))
    out = []
    for group in ("commune", "department"):
        members = sorted((c for c in cards if c[2] == group), key=lambda c: -c[5])
        totals = [c[5] for c in members if c[5] >= 90]
        for code, name, grp, criteria, penalty, total in members:
            eligible = total >= 90
            rank = 1 + sum(1 for t in totals if t > total) if eligible else None
            tie = eligible and totals.count(total) > 1
            out.append(
                RankedUnit(
                    rank=rank,
                    code=code,
                    name=name,
                    group=grp,
                    criteria=criteria,
                    penalty=penalty,
                    total=total,
                    eligible=eligible,
                    tie=tie,
                )
            )
    return out


_FIGURES = {c[0]: c for c in _UNITS}

_PEOPLE = {
    "TT-MOT-NGAN": (
        ("Trần Văn Phúc", "Phó Chủ tịch Ủy ban nhân dân thị trấn", "Nam", date(1978, 3, 12)),
        ("Nguyễn Thị Thu Trang", "Công chức Văn phòng - Thống kê", "Nữ", date(1990, 11, 5)),
        ("Lê Minh Tâm", "Công chức Tư pháp - Hộ tịch", "Nam", date(1986, 7, 21)),
        ("Phạm Thị Kim Ngân", "Công chức Địa chính - Xây dựng", "Nữ", date(1992, 1, 30)),
        ("Huỳnh Văn Lợi", "Công chức Văn hóa - Xã hội", "Nam", date(1988, 9, 9)),
    ),
    "X-TAN-HOA": (
        ("Võ Văn Hùng", "Phó Chủ tịch Ủy ban nhân dân xã", "Nam", date(1975, 5, 2)),
        ("Đặng Thị Hồng Nhung", "Công chức Văn phòng - Thống kê", "Nữ", date(1991, 2, 14)),
        ("Trương Quốc Bảo", "Công chức Tư pháp - Hộ tịch", "Nam", date(1989, 12, 1)),
        ("Nguyễn Thị Mỹ Linh", "Công chức Tài chính - Kế toán", "Nữ", date(1993, 4, 18)),
    ),
    "TT-CAI-TAC": (
        ("Lâm Văn Đức", "Công chức Văn phòng - Thống kê", "Nam", date(1987, 8, 25)),
        ("Châu Thị Ngọc Hân", "Công chức Tư pháp - Hộ tịch", "Nữ", date(1994, 10, 3)),
        ("Dương Hoàng Nam", "Công chức Địa chính - Xây dựng", "Nam", None),
    ),
}
_DEPT_PEOPLE = (
    ("BP-MOT-CUA", "Ngô Thị Bích Tuyền", "Công chức tiếp nhận hồ sơ", "Nữ"),
    ("BP-MOT-CUA", "Phan Văn Khải", "Công chức tiếp nhận hồ sơ", "Nam"),
    ("BP-MOT-CUA", "Tạ Thị Thanh Thủy", "Công chức tiếp nhận hồ sơ", "Nữ"),
    ("P-TNMT", "Bùi Văn Tuấn", "Phó Trưởng phòng", "Nam"),
    ("P-TNMT", "Hồ Thị Cẩm Tú", "Chuyên viên", "Nữ"),
    ("P-TU-PHAP", "Mai Văn Sang", "Trưởng phòng", "Nam"),
    ("P-TU-PHAP", "Lý Thị Hoa", "Chuyên viên", "Nữ"),
    ("P-LD-TBXH", "Đỗ Thanh Tùng", "Chuyên viên", "Nam"),
    ("P-LD-TBXH", "Kiều Thị Yến", "Chuyên viên", "Nữ"),
    ("P-KT-HT", "Tô Văn Nghĩa", "Phó Trưởng phòng", "Nam"),
    ("P-KT-HT", "Vương Thị Diễm", "Chuyên viên", "Nữ"),
    ("VP-HDND-UBND", "Quách Minh Trí", "Phó Chánh Văn phòng", "Nam"),
    ("VP-HDND-UBND", "La Thị Phương", "Chuyên viên", "Nữ"),
    ("P-TAI-CHINH-KH", "Thái Văn Lộc", "Chuyên viên", "Nam"),
    ("P-TAI-CHINH-KH", "Triệu Thị Ánh", "Chuyên viên", "Nữ"),
)
_HEADS = {
    "TT-MOT-NGAN": "Nguyễn Hoàng Sơn",
    "X-TAN-HOA": "Phạm Văn Toàn",
    "TT-CAI-TAC": "Lê Văn Hiếu",
    "BP-MOT-CUA": "Trần Thị Kim Loan",
    "P-TNMT": "Huỳnh Thanh Phong",
    "P-TU-PHAP": "Mai Văn Sang",
    "P-LD-TBXH": "Võ Thị Ngọc Mai",
    "P-KT-HT": "Đinh Công Minh",
    "VP-HDND-UBND": "Nguyễn Văn Hậu",
    "P-TAI-CHINH-KH": "Lê Quốc Việt",
    "P-NN-PTNT": "Trần Văn Bé",
}
_PRIZES = {1: (10_000_000, 15), 2: (7_000_000, 10), 3: (5_000_000, 5)}


def demo_proposals(ranking: list[RankedUnit] | None = None) -> list[CollectiveProposal]:
    """3 communes (places 1–3) and the 7 best departments, with 27 individuals in all."""
    ranking = ranking if ranking is not None else demo_ranking()
    communes = [u for u in ranking if u.group == "commune" and u.rank is not None and u.rank <= 3]
    departments = [u for u in ranking if u.group == "department" and u.eligible][:7]
    proposals = []
    for u in sorted(communes, key=lambda u: u.rank or 0) + departments:
        fig = _FIGURES[u.code]
        figures = {
            "procedures": fig[4],
            "accounts": fig[5],
            "dossiers": fig[6],
            "resolution_rate": f"{fig[7] // 10},{fig[7] % 10}%",
            "score": u.total,
        }
        if u.group == "commune":
            people = [
                IndividualProposal(
                    full_name=name,
                    position=pos,
                    unit_name=f"Ủy ban nhân dân {u.name[0].lower()}{u.name[1:]}",
                    gender=gender,
                    birth_date=born,
                    achievement=(
                        "trực tiếp hướng dẫn người dân tạo tài khoản và nộp hồ sơ trực tuyến, góp phần "
                        f"đơn vị đạt {format(fig[5], ',').replace(',', '.')} tài khoản"
                    ),
                )
                for name, pos, gender, born in _PEOPLE[u.code]
            ]
            prize, bonus = _PRIZES[u.rank or 3]
            place = u.rank
        else:
            people = [
                IndividualProposal(
                    full_name=name,
                    position=pos,
                    unit_name=u.name,
                    gender=gender,
                    achievement="tiếp nhận, giải quyết hồ sơ trực tuyến trước hạn, đúng hạn",
                )
                for code, name, pos, gender in _DEPT_PEOPLE
                if code == u.code
            ]
            prize, bonus, place = 0, 0, None
        proposals.append(
            CollectiveProposal(
                unit_code=u.code,
                unit_name=u.name,
                place=place,
                prize_vnd=prize,
                bonus_points=bonus,
                figures=figures,
                individuals=tuple(people),
                group=u.group,
                head_name=_HEADS[u.code],
                past_awards=("Giấy khen của Chủ tịch UBND huyện năm 2020 về công tác cải cách hành chính",)
                if u.code in {"TT-MOT-NGAN", "BP-MOT-CUA"}
                else (),
            )
        )
    return proposals


def demo_meeting() -> MeetingInfo:
    return MeetingInfo(
        date=date(2021, 12, 15),
        time_start=time(14, 0),
        time_end=time(16, 30),
        place="Phòng họp Ủy ban nhân dân huyện Châu Thành A",
        chair=Person(name="Lê Thị Mỹ Hạnh", position="Trưởng phòng Nội vụ"),
        secretary=Person(name="Nguyễn Thanh Hải", position="Chuyên viên Phòng Nội vụ"),
        members_present=(
            Person(name="Nguyễn Văn Hậu", position="Chánh Văn phòng HĐND và UBND huyện"),
            Person(name="Lê Quốc Việt", position="Trưởng phòng Tài chính - Kế hoạch"),
            Person(name="Mai Văn Sang", position="Trưởng phòng Tư pháp"),
            Person(name="Trần Thị Kim Loan", position="Phụ trách Bộ phận tiếp nhận và trả kết quả huyện"),
        ),
        members_absent=(Person(name="Đinh Công Minh", position="Trưởng phòng Kinh tế và Hạ tầng", note="đi công tác"),),
    )
