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
