"""The audit log as people read it: each action's name in Vietnamese, and the before/after data as
rows of labelled, formatted values (dd/mm/yyyy dates, Có/Không, 1.500), not raw JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from thidua.scoring.text import format_date, format_int, format_month

ACTIONS: dict[str, str] = {
    "api.token_created": "Tạo mã truy cập API",
    "api.token_revoked": "Thu hồi mã truy cập API",
    "auth.locked_out": "Tạm khóa đăng nhập",
    "auth.unlocked": "Mở khóa đăng nhập",
    "awards.district_updated": "Cập nhật thông tin văn bản khen thưởng",
    "awards.meeting_updated": "Cập nhật thông tin cuộc họp xét khen thưởng",
    "campaign.activated": "Áp dụng phong trào",
    "campaign.created": "Tạo phong trào",
    "campaign.roster_kept": "Giữ danh sách đơn vị đã tham gia phong trào đã kết thúc",
    "campaign.options_changed": "Đổi nguồn số liệu, ngưỡng chênh lệch, cách gọi dịch vụ công trực tuyến",
    "campaign.settings_changed": "Điều chỉnh cấu hình phong trào",
    "core.backup": "Sao lưu cơ sở dữ liệu",
    "core.restore": "Khôi phục cơ sở dữ liệu",
    "dossier.generated": "Lập hồ sơ khen thưởng",
    "dossier.signed": "Ghi nhận văn bản đã ký, nộp",
    "month.closed": "Chốt kết quả tháng",
    "monthly_award.changed": "Đổi quyết định khen thưởng tháng",
    "monthly_award.decided": "Quyết định khen thưởng tháng",
    "monthly_award.decision_recorded": "Ghi số Quyết định khen thưởng tháng",
    "monthly_award.flag_cleared": "Giữ nguyên khen thưởng tháng sau khi xem xét, hoặc khi kết luận bị hủy",
    "monthly_award.flagged": "Đánh dấu khen thưởng tháng cần xem xét",
    "monthly_award.revoked": "Thu hồi khen thưởng tháng",
    "nomination.created": "Đề nghị khen thưởng cá nhân",
    "nomination.deleted": "Xóa đề nghị khen thưởng cá nhân",
    "nomination.updated": "Sửa đề nghị khen thưởng cá nhân",
    "portal.header_mapping.created": "Lưu mẫu cột tệp Cổng",
    "portal.header_mapping.deactivated": "Ngừng dùng mẫu cột tệp Cổng",
    "portal.imported": "Nhập số liệu Cổng dịch vụ công",
    "portal.unit_alias": "Ghi nhớ tên đơn vị trong tệp Cổng",
    "portal.unit_alias_changed": "Đổi đơn vị của tên đã ghi nhớ",
    "portal.unit_alias_forgotten": "Quên tên đơn vị đã ghi nhớ",
    "report.corrected": "Điều chỉnh báo cáo",
    "report.entered_for_unit": "Nhập báo cáo thay đơn vị (báo cáo bằng văn bản)",
    "report.marked_untruthful": "Kết luận báo cáo không trung thực",
    "report.untruthful_withdrawn": "Hủy kết luận báo cáo không trung thực",
    "report.reminders_sent": "Gửi email nhắc nộp báo cáo",
    "report.returned": "Trả lại báo cáo",
    "report.submitted": "Nộp báo cáo",
    "report.verified": "Xác nhận báo cáo",
    "tie_break.recorded": "Phân định đơn vị bằng điểm",
    "units.changed": "Sửa đơn vị trong danh mục",
    "units.created": "Thêm đơn vị vào danh mục",
    "units.imported": "Nhập danh mục đơn vị",
    "user.password_changed": "Đổi mật khẩu",
    "user.password_reset": "Đặt lại mật khẩu qua email",
    "user.password_reset_requested": "Yêu cầu lấy lại mật khẩu",
    "user.profile_changed": "Cập nhật thông tin cá nhân",
    "users.admin_created": "Tạo tài khoản quản trị hệ thống",
    "users.reporter_password_reset": "Đặt lại mật khẩu tài khoản báo cáo",
    "users.reporters_created": "Tạo tài khoản báo cáo",
    "year_end.decision_recorded": "Ghi số Quyết định khen thưởng cuối năm",
    "year_end.list_recorded": "Chốt danh sách khen thưởng cuối năm",
    "year_end.list_reopened": "Mở lại danh sách khen thưởng cuối năm",
}

FIELDS: dict[str, str] = {
    "account": "Cột tài khoản", "accounts": "Tài khoản", "achievement": "Thành tích", "active": "Đang dùng",
    "as_of": "Tính đến ngày", "attachments": "Minh chứng", "award": "Hình thức khen thưởng",
    "awards": "Khen thưởng", "birth_date": "Ngày sinh", "campaign": "Thời gian phong trào",
    "ceremony_date": "Ngày trao", "chair_name": "Chủ trì", "chair_position": "Chức vụ người chủ trì",
    "chairman_name": "Chủ tịch UBND", "changes": "Thay đổi", "channel": "Cột hình thức nộp", "code": "Mã",
    "codes": "Thứ tự đơn vị", "conclusion": "Kết luận", "created": "Thêm mới", "created_at": "Cột ngày tạo",
    "created_codes": "Mã đơn vị thêm mới", "date": "Ngày", "decision_date": "Ngày Quyết định",
    "decision_number": "Số Quyết định", "district": "Huyện", "document": "Văn bản phát động",
    "dossiers_in_person": "Hồ sơ nộp trực tiếp", "dossiers_online": "Hồ sơ trực tuyến",
    "due": "Hồ sơ đến hạn", "due_at": "Cột ngày hẹn trả", "eligibility": "Điều kiện xếp hạng",
    "file": "Tệp", "flag_reason": "Lý do cần xem xét", "flagged": "Cần xem xét", "full_name": "Họ và tên",
    "gender": "Giới tính", "group": "Nhóm thi đua", "groups": "Các nhóm thi đua", "has_plan": "Có kế hoạch",
    "head_name": "Thủ trưởng", "head_of_home_affairs_name": "Trưởng phòng (Giám đốc sở) Nội vụ",
    "head_title": "Chức vụ thủ trưởng", "header_mapping": "Mẫu cột", "initiatives": "Giải pháp, sáng kiến",
    "ip_address": "Địa chỉ", "issuer_kind": "Cấp ban hành", "items": "Văn bản", "kind": "Loại",
    "legal_basis": "Căn cứ pháp lý", "level": "Cột mức độ", "mapping": "Cột theo trường",
    "members_absent": "Thành viên vắng", "members_present": "Thành viên có mặt", "month": "Tháng",
    "movement": "Tên phong trào", "movement_short": "Tên phong trào (ngắn)", "name": "Tên",
    "new_accounts": "Tài khoản mới",
    "number": "Số, ký hiệu", "override_reason": "Lý do chọn khác đề xuất", "parent": "Đơn vị cấp trên",
    "place": "Hạng / địa điểm", "plan_date": "Ngày kế hoạch", "plan_number": "Số kế hoạch",
    "plan_title": "Trích yếu kế hoạch", "position": "Chức vụ", "prize_vnd": "Tiền thưởng (đồng)",
    "procedure": "Cột thủ tục", "procedures": "Thủ tục đã đăng ký", "province": "Tỉnh", "rank": "Hạng",
    "raw_name": "Tên trong tệp", "reason": "Lý do", "received_at": "Cột ngày tiếp nhận", "removed": "Đã xóa",
    "reports": "Báo cáo", "resolved_at": "Cột ngày có kết quả", "resolved_on_time": "Giải quyết đúng hạn",
    "return_reason": "Lý do trả lại", "revoked": "Đã thu hồi", "rows": "Số dòng",
    "schema_version": "Phiên bản cấu trúc",
    "score_source": "Nguồn số liệu chấm điểm", "secretary_name": "Thư ký", "secretary_position": "Chức vụ thư ký",
    "sha256": "Mã kiểm tra tệp (SHA-256)", "signed_on": "Ngày ký", "size": "Dung lượng (byte)",
    "sort_order": "Thứ tự", "status": "Tình trạng", "submitted_at": "Thời điểm nộp", "time_end": "Kết thúc",
    "time_start": "Bắt đầu", "tolerance_percent": "Ngưỡng chênh lệch (%)", "total": "Tổng điểm",
    "unchanged": "Không đổi", "unit": "Đơn vị", "untruthful": "Không trung thực",
    "untruthful_reason": "Căn cứ kết luận không trung thực", "untruthful_at": "Thời điểm kết luận không trung thực",
    "updated": "Cập nhật", "username": "Tên đăng nhập",
    "version": "Phiên bản", "description": "Mô tả", "online_wording": "Cách gọi dịch vụ công trực tuyến",
    "held": "Không gửi (quá số lần trong một giờ)",
    "received_on": "Ngày nhận văn bản", "reference": "Số, ký hiệu văn bản",
    "sent": "Đã gửi", "failed": "Không gửi được", "without_email": "Chưa có email",
    "email": "Email", "first_name": "Tên đệm và tên", "last_name": "Họ",
    "online_share_target": "Mục tiêu tỷ lệ hồ sơ trực tuyến (%)", "min": "Từ", "max": "Đến",
    "prefix": "Đầu mã", "owner": "Người dùng", "expires_at": "Hết hạn lúc",
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_LONG = 600  # a nested value longer than this is cut (the full data stays in the database)


def _value_names() -> dict[str, dict[str, str]]:
    """Coded values by field: a report's status, the score source, the issuer, a document's kind, a unit's
    group (by the active campaign's names)."""
    from thidua.awards.models import DossierItem
    from thidua.campaigns.models import Campaign
    from thidua.campaigns.selectors import active_group_names
    from thidua.documents.reward import ISSUER_KINDS
    from thidua.portal.models import PortalImport
    from thidua.reports.models import Report
    from thidua.units.models import Unit

    units = dict(Unit.objects.values_list("code", "name"))  # the unit codes a reminder or a mapping names
    return {
        "sent": units, "failed": units, "without_email": units,
        "status": dict(Report.Status.choices), "score_source": dict(Campaign.ScoreSource.choices),
        "issuer_kind": {key: label for key, (_, _, label) in ISSUER_KINDS.items()},
        "kind": {**dict(PortalImport.Kind.choices), **dict(DossierItem.Kind.choices)},
        "group": active_group_names(),
    }


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def describe(events) -> list[tuple[Any, str, list[ChangeRow]]]:
    """(event, its action's name, its data as rows) for a page of events; a report's figures are named in
    the words of the event's campaign ("Hồ sơ trực tuyến toàn trình, một phần")."""
    names = _value_names()
    wording = _campaign_wordings({e.campaign_code for e in events if e.campaign_code})
    return [(e, action_label(e.action), change_rows(e.before, e.after, names, wording(e)))
            for e in events]


def _campaign_wordings(codes: set[str]):
    """The field names an event's campaign gave its figures when the event was recorded: its words for the
    online services then (the words a later change on Cấu hình replaced), else its words now."""
    from thidua.campaigns.models import Campaign, online_dossiers_label, online_procedures_label
    from thidua.core.models import AuditEvent

    current = dict(Campaign.objects.filter(code__in=codes).values_list("code", "online_wording"))
    changes: dict[str, list[tuple[int, str]]] = {}  # code -> (event pk, the words it replaced), in order
    for code, pk, before, after in (AuditEvent.objects.filter(action="campaign.options_changed",
                                                              campaign_code__in=current)
                                    .order_by("pk").values_list("campaign_code", "pk", "before", "after")):
        old, new = (before or {}).get("online_wording"), (after or {}).get("online_wording")
        if old and old != new:
            changes.setdefault(code, []).append((pk, old))

    def labels(event) -> dict[str, str] | None:
        if event.campaign_code not in current:
            return None
        words = next((old for pk, old in changes.get(event.campaign_code, ()) if pk > event.pk),
                     current[event.campaign_code])
        return {"dossiers_online": online_dossiers_label(words), "procedures": online_procedures_label(words)}

    return labels


_FIELD_ORDER = {key: index for index, key in enumerate(FIELDS)}


def field_label(key: str, labels: dict[str, str] | None = None) -> str:
    return (labels or {}).get(key) or FIELDS.get(key, key)


def format_value(value: Any) -> str:
    """One recorded value as text: Có/Không, 1.500, 25/06/2021, tháng 6/2021, lists and nested data."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, str):
        if _MOMENT.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return f"{moment:%d/%m/%Y %H:%M}"
        if _DATE.fullmatch(value):
            try:
                return format_date(date.fromisoformat(value))
            except ValueError:
                return value
        if _MONTH.fullmatch(value):
            return format_month(value)
        return value
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return "; ".join(format_value(v) for v in value)
    if isinstance(value, dict) and all(not isinstance(v, dict | list) for v in value.values()):
        # in the order FIELDS names them: PostgreSQL's jsonb keeps no key order ("max" came before "min")
        items = sorted(value.items(), key=lambda item: _FIELD_ORDER.get(item[0], len(_FIELD_ORDER)))
        return "; ".join(f"{field_label(k)}: {format_value(v)}" for k, v in items)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _LONG else text[:_LONG] + " …"


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str | None  # None: the event recorded no "before"
    after: str | None
    changed: bool


def change_rows(before: Any, after: Any, names: dict[str, dict[str, str]] | None = None,
                labels: dict[str, str] | None = None) -> list[ChangeRow]:
    """The event's data as rows: one per field of its before/after dicts (a changed value marked),
    or a single row for data of another shape. ``names``: coded values by field (see _value_names);
    ``labels``: field names in place of FIELDS' (a campaign's own words)."""
    names = names or {}

    def show(key: str, data: dict | None) -> str | None:
        if data is None:
            return None
        value, coded = data.get(key), names.get(key, {})
        if isinstance(value, str) and value in coded:
            return coded[value]
        if coded and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return format_value([coded.get(v, v) for v in value])
        if coded and isinstance(value, dict):
            return format_value({coded.get(k, k): v for k, v in value.items()})
        return format_value(value)

    if isinstance(before, dict | type(None)) and isinstance(after, dict | type(None)):
        keys = list(dict.fromkeys([*(after or {}), *(before or {})]))
        rows = []
        for key in keys:
            old, new = show(key, before), show(key, after)
            rows.append(ChangeRow(field_label(key, labels), old, new,
                                  before is not None and after is not None and old != new))
        return rows
    old = None if before is None else format_value(before)
    new = None if after is None else format_value(after)
    return [ChangeRow("Dữ liệu", old, new, old is not None and new is not None and old != new)]
