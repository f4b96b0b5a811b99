"""The registry file reader's vocabulary (levels, groups, status) and the template files."""

from __future__ import annotations

import pytest

from thidua.units.models import Unit
from thidua.units.registry_file import (
    COLUMN_HELP,
    DEFAULT_GROUPS,
    HEADERS,
    TEMPLATE_FILES,
    column_help,
    level_word,
    parse_active,
    parse_group,
    parse_level,
    read_registry_file,
    render_template_file,
)

LEVELS = {
    "province": ["Tỉnh", "tinh", "Thành phố", "Thành phố trực thuộc TW", "Thành phố trực thuộc Trung ương",
                 "TỈNH", "province"],
    "district": ["Huyện", "Quận", "Thị xã", "thi xa", "Thành phố thuộc tỉnh", "district"],
    "department": ["Phòng", "Sở", "Ban", "Ngành", "Văn phòng", "Bộ phận", "Cơ quan chuyên môn", "Phòng, ban, ngành",
                   "Sở, ban, ngành", "Trung tâm", "Chi cục", "Đơn vị sự nghiệp", "department"],
    "commune": ["Xã", "Phường", "Thị trấn", "Xã, phường, thị trấn", "Đặc khu", "xa", "commune"],
}


@pytest.mark.parametrize(("level", "word"), [(level, w) for level, words in LEVELS.items() for w in words])
def test_a_level_is_read_from_the_words_people_write(level, word):
    assert parse_level(word) == level


def test_every_level_label_of_the_model_reads_back_as_its_level():
    for level, label in Unit.Level.choices:
        assert parse_level(label) == level, label


def test_unknown_levels_are_not_guessed():
    for word in ("Ấp", "Khu phố", "Tổ", "", "Xã Tân Hòa"):
        assert parse_level(word) is None, word


def test_groups_are_read_from_keys_and_vietnamese_names():
    assert parse_group("commune", DEFAULT_GROUPS) == "commune"
    assert parse_group("Khối xã, phường, thị trấn", DEFAULT_GROUPS) == "commune"
    assert parse_group("Khối xã, thị trấn", DEFAULT_GROUPS) == "commune"
    assert parse_group("khoi phuong", DEFAULT_GROUPS) == "commune"
    assert parse_group("Khối phòng, ban, ngành", DEFAULT_GROUPS) == "department"
    assert parse_group("Khối sở, ban, ngành", DEFAULT_GROUPS) == "department"
    assert parse_group("", DEFAULT_GROUPS) == "" and parse_group("Không thi đua", DEFAULT_GROUPS) == ""
    assert parse_group("Khối doanh nghiệp", DEFAULT_GROUPS) is None
    groups = {**DEFAULT_GROUPS, "school": ("Khối trường học",)}  # a rubric with its own group
    assert parse_group("school", groups) == "school" and parse_group("Khối trường học", groups) == "school"
    assert parse_group("school", DEFAULT_GROUPS) is None


def test_a_group_word_written_with_other_accents_is_not_taken_for_a_group():
    """A province's own emulation clusters («Cụm thi đua số 1») are not this campaign's groups: «số» is not
    «sở», though both fold to «so»; a word written without accents is still read («Khoi so, ban, nganh»)."""
    for raw in ("Cụm thi đua số 1", "Khối số 2", "Khối xá"):
        assert parse_group(raw, DEFAULT_GROUPS) is None, raw
    for raw, group in (("Khoi so, ban, nganh", "department"), ("Khối Sở, ban, ngành tỉnh", "department"),
                       ("Khối văn phòng", "department"), ("KHỐI ĐẶC KHU", "commune"), ("Khối thị trấn", "commune"),
                       ("khoi thi tran", "commune"), ("Khối xã", "commune")):
        assert parse_group(raw, DEFAULT_GROUPS) == group, raw


def test_the_status_is_yes_or_no_in_words():
    assert [parse_active(w) for w in ("Có", "x", "1", "Đang hoạt động", "Không", "0", "Ngừng hoạt động")] == [
        True, True, True, True, False, False, False]
    assert parse_active("tạm dừng") is None


def test_the_level_in_the_sample_is_the_word_the_name_starts_with():
    assert level_word("Thị trấn Một Ngàn", "commune") == "Thị trấn"
    assert level_word("Văn phòng HĐND và UBND huyện", "department") == "Văn phòng"
    assert level_word("Sở Nội vụ", "department") == "Sở"
    assert level_word("Trung tâm Phục vụ hành chính công", "department") == "Trung tâm"
    assert level_word("Chi cục Thủy lợi", "department") == "Chi cục"
    assert level_word("Đài Truyền thanh huyện", "department") == "Phòng, ban, ngành"


def test_the_csv_templates_are_utf8_with_a_bom_and_the_columns_in_order():
    for name in TEMPLATE_FILES:
        content = render_template_file(name)
        if name.endswith(".csv"):
            assert content.startswith("\ufeff".encode())
            assert content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)
    assert len(render_template_file("mau-danh-muc-don-vi.csv").decode("utf-8-sig").splitlines()) == 1
    with pytest.raises(KeyError):
        render_template_file("../settings.py")


# Plan 211's groups as the registry offers them: Plan 211's keys with their own names, then the rubric's.
PLAN_211_GROUPS = {"commune": (*DEFAULT_GROUPS["commune"], "Xã, thị trấn"),
                   "department": (*DEFAULT_GROUPS["department"], "Phòng, ban, ngành huyện")}


@pytest.mark.parametrize(("word", "group"), [
    ("Khối xã, thị trấn", "commune"), ("Xã, thị trấn", "commune"), ("xã", "commune"), ("XÃ", "commune"),
    ("xa thi tran", "commune"), ("Thị trấn", "commune"), ("Phường", "commune"), ("commune", "commune"),
    ("Commune", "commune"), ("phòng ban", "department"), ("Phòng, ban, ngành huyện", "department"),
    ("PHONG BAN NGANH HUYEN", "department"), ("Phòng", "department"), ("Sở", "department"),
    ("department", "department"), ("DEPARTMENT", "department"), ("Khối thi đua xã", "commune"),
    ("Nhóm thi đua phòng, ban", "department"),
])
def test_a_group_is_read_from_its_vietnamese_names_or_its_key(word, group):
    assert parse_group(word, PLAN_211_GROUPS) == group
    assert parse_group(word, DEFAULT_GROUPS) == group


def test_an_unknown_group_is_explained_by_the_groups_vietnamese_names(tmp_path):
    path = tmp_path / "danh-muc.csv"
    path.write_text("Mã đơn vị,Tên đơn vị,Cấp,Nhóm thi đua\nX-A,Xã A,Xã,Khối doanh nghiệp\n", encoding="utf-8")
    [error] = read_registry_file(path, max_bytes=10**6, groups=PLAN_211_GROUPS).errors
    assert str(error) == (
        "Dòng 2: nhóm thi đua «Khối doanh nghiệp» không hợp lệ; ghi tên nhóm: «Khối xã, phường, thị trấn» "
        "(hay «Xã, thị trấn», «Xã») hoặc «Khối phòng, sở, ban, ngành» (hay «Phòng, ban, ngành huyện», «Phòng»), "
        "hoặc để trống nếu đơn vị không tham gia thi đua.")
    groups = {**PLAN_211_GROUPS, "school": ("Trường học",), "other": ()}  # a rubric's own groups
    [error] = read_registry_file(path, max_bytes=10**6, groups=groups).errors
    assert "«Phòng»), «Trường học» hoặc «other», hoặc để trống" in str(error)


def test_the_group_column_is_explained_in_vietnamese_first():
    help_text = dict(column_help(PLAN_211_GROUPS))["Nhóm thi đua"]
    assert help_text.startswith("Tên nhóm: «Khối xã, phường, thị trấn» (hay «Xã, thị trấn», «Xã») hoặc «Khối "
                                "phòng, sở, ban, ngành» (hay «Phòng, ban, ngành huyện», «Phòng»)")
    assert help_text.index("«Xã»") < help_text.index("commune")  # the keys last, still accepted
    assert "hoa hay thường, có dấu hay không dấu đều được" in help_text
    assert dict(COLUMN_HELP)["Nhóm thi đua"] == dict(column_help(DEFAULT_GROUPS))["Nhóm thi đua"]
