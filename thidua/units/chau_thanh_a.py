"""The 2021 units of Châu Thành A district (Hậu Giang), as in ../shared/plan/UNITS.md: the demo's
registry and the benchmarks' unit list. Plain data: importing it needs no Django set-up."""

PROVINCE = ("HAU-GIANG", "Tỉnh Hậu Giang")
DISTRICT = ("CHAU-THANH-A", "Huyện Châu Thành A")

COMMUNES = [
    ("TT-MOT-NGAN", "Thị trấn Một Ngàn", "Nguyễn Văn Hùng"),
    ("TT-BAY-NGAN", "Thị trấn Bảy Ngàn", "Trần Thị Mai"),
    ("TT-RACH-GOI", "Thị trấn Rạch Gòi", "Lê Văn Tâm"),
    ("TT-CAI-TAC", "Thị trấn Cái Tắc", "Phạm Minh Khôi"),
    ("X-NHON-NGHIA-A", "Xã Nhơn Nghĩa A", "Huỳnh Văn Lợi"),
    ("X-TAN-HOA", "Xã Tân Hòa", "Võ Thị Thu"),
    ("X-TAN-PHU-THANH", "Xã Tân Phú Thạnh", "Đặng Văn Phúc"),
    ("X-THANH-XUAN", "Xã Thạnh Xuân", "Bùi Thị Hồng"),
    ("X-TRUONG-LONG-A", "Xã Trường Long A", "Ngô Văn Sang"),
    ("X-TRUONG-LONG-TAY", "Xã Trường Long Tây", "Trương Thị Lan"),
]
DEPARTMENTS = [
    ("VP-HDND-UBND", "Văn phòng HĐND và UBND huyện", "Lâm Văn Đức"),
    ("BP-MOT-CUA", "Bộ phận tiếp nhận và trả kết quả huyện", "Châu Thị Ngọc"),
    ("P-NOI-VU", "Phòng Nội vụ", "Nguyễn Thanh Bình"),
    ("P-TU-PHAP", "Phòng Tư pháp", "Lý Văn Nam"),
    ("P-TAI-CHINH-KH", "Phòng Tài chính - Kế hoạch", "Đỗ Thị Hạnh"),
    ("P-TNMT", "Phòng Tài nguyên và Môi trường", "Phan Văn Hải"),
    ("P-KT-HT", "Phòng Kinh tế và Hạ tầng", "Tạ Minh Trí"),
    ("P-NN-PTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "Hồ Văn Lực"),
    ("P-LD-TBXH", "Phòng Lao động - Thương binh và Xã hội", "Dương Thị Yến"),
    ("P-VH-TT", "Phòng Văn hóa và Thông tin", "Mai Văn Tài"),
    ("P-GD-DT", "Phòng Giáo dục và Đào tạo", "Kiều Thị Thảo"),
    ("P-Y-TE", "Phòng Y tế", "Quách Văn Toàn"),
]

UNITS = [(code, name) for code, name, _head in COMMUNES + DEPARTMENTS]
# the heads of the two departments that are not a Phòng (Decree 61/2018: the office's leader heads the one-stop shop)
HEAD_TITLES = {"VP-HDND-UBND": "Chánh Văn phòng", "BP-MOT-CUA": "Trưởng Bộ phận"}


def registry() -> list[dict]:
    """Every unit of the 2021 registry as the fields of a Unit (the parent as its code), parents first:
    the demo creates these and the downloadable sample file lists them."""
    units = [
        {"code": PROVINCE[0], "name": PROVINCE[1], "level": "province", "group": "", "parent": "",
         "head_name": "", "head_title": "", "description": "", "sort_order": 0},
        {"code": DISTRICT[0], "name": DISTRICT[1], "level": "district", "group": "", "parent": PROVINCE[0],
         "head_name": "", "head_title": "", "description": "", "sort_order": 1},
    ]
    for order, (code, name, head) in enumerate(COMMUNES, start=10):
        units.append({
            "code": code, "name": name, "level": "commune", "group": "commune", "parent": DISTRICT[0],
            "head_name": head, "head_title": "Chủ tịch UBND", "sort_order": order,
            "description": f"{name} thuộc huyện Châu Thành A, tỉnh Hậu Giang; Bộ phận một cửa tiếp nhận và "
                           "giải quyết thủ tục hành chính cấp xã."})
    for order, (code, name, head) in enumerate(DEPARTMENTS, start=100):
        units.append({
            "code": code, "name": name, "level": "department", "group": "department", "parent": DISTRICT[0],
            "head_name": head, "head_title": HEAD_TITLES.get(code, "Trưởng phòng"), "sort_order": order,
            "description": f"{name} là cơ quan chuyên môn thuộc UBND huyện Châu Thành A."})
    return units
