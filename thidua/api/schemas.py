"""Input and output schemas of the JSON API; descriptions are what the OpenAPI page shows (Vietnamese)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, StrictBool, StrictStr
from pydantic_core import PydanticCustomError

from thidua.documents.text import printable
from thidua.reports.services import MAX_PROCEDURE_NAME, MAX_PROCEDURES, ReportData

MAX_COUNT = 10_000_000  # the report form's limit; also keeps figures inside a PostgreSQL integer

# Strict: "12" or 12.0 or true where a count is expected is an error, not a silent conversion.
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]


def _visible(text: str) -> str:
    """Refuse what no one can see (NUL and the other control characters, which .docx, .xlsx and
    PostgreSQL cannot hold either); the web forms drop them instead (core.middleware)."""
    if printable(text) != text:
        bad = next(c for c in text if printable(c) != c)
        raise PydanticCustomError("control_character", "control character {code}", {"code": f"U+{ord(bad):04X}"})
    return text


Text = Annotated[StrictStr, AfterValidator(_visible)]
# The length is checked on the string itself, before _visible (a constraint after an AfterValidator is a
# generic one, which pydantic reports as too_long, the list's error type)
ProcedureName = Annotated[StrictStr, Field(max_length=MAX_PROCEDURE_NAME), AfterValidator(_visible)]


# ----- errors ----------------------------------------------------------------------------------

class DetailOut(Schema):
    detail: str = Field(description="Thông báo lỗi (tiếng Việt).")


class FieldErrorOut(Schema):
    field: str | None = Field(description="Tên trường bị lỗi; null khi lỗi chung của cả yêu cầu.")
    message: str


class ErrorsOut(Schema):
    errors: list[FieldErrorOut]


ERROR_RESPONSES: dict[int, type[Schema]] = {
    400: DetailOut, 401: DetailOut, 403: DetailOut, 404: DetailOut, 422: ErrorsOut, 429: DetailOut,
}


# ----- rankings --------------------------------------------------------------------------------

class PublicStandingOut(Schema):
    code: str
    name: str
    group: str
    total: int
    eligible: bool
    rank: int | None = Field(description="null khi đơn vị chưa đủ điều kiện xếp hạng.")
    tie: bool


class StandingOut(PublicStandingOut):
    criteria: dict[str, int]
    penalty: int
    notes: list[str]


class RankingsOut(Schema):
    campaign: str
    as_of: date
    # Staff get the full contract; everyone else the public fields. Tried in this order.
    units: list[Annotated[StandingOut | PublicStandingOut, Field(union_mode="left_to_right")]]
    awards: dict[str, Any]


# ----- scorecard -------------------------------------------------------------------------------

class CriterionOut(Schema):
    key: str
    label: str
    points: int
    explanation: str
    next_milestone: str | None


class PenaltyOut(Schema):
    month: str
    kind: str = Field(description="late | missing | untruthful")
    points: int
    days_late: int | None
    explanation: str


class ReportStatusOut(Schema):
    month: str
    due_date: date
    state: str = Field(description="on_time | late | missing | pending | not_due | not_required "
                                   "(đơn vị chưa tham gia thi đua tháng đó)")
    days_late: int | None
    untruthful: bool


class ScorecardOut(Schema):
    campaign: str
    as_of: date
    code: str
    name: str
    group: str
    criteria: list[CriterionOut]
    penalties: list[PenaltyOut]
    statuses: list[ReportStatusOut]
    penalty: int
    total: int
    eligible: bool
    rank: int | None
    tie: bool
    tie_resolved: bool
    notes: list[str]


# ----- review matrix ---------------------------------------------------------------------------

class MatrixCellOut(Schema):
    month: str
    state: str = Field(description="on_time | late | missing | pending | not_due | not_required "
                                   "(đơn vị chưa tham gia thi đua tháng đó)")
    label: str
    days_late: int | None
    report_id: int | None
    status: str | None = Field(description="submitted | verified | returned; null khi chưa nộp.")
    untruthful: bool


class MatrixRowOut(Schema):
    code: str
    name: str
    group: str
    cells: list[MatrixCellOut]


class MatrixOut(Schema):
    campaign: str
    as_of: date
    months: list[str]
    units: list[MatrixRowOut]


# ----- overview ----------------------------------------------------------------------------------

class TotalsOut(Schema):
    accounts: int = Field(description="Tài khoản tạo mới.")
    online: int = Field(description="Hồ sơ trực tuyến tiếp nhận.")
    in_person: int = Field(description="Hồ sơ tiếp nhận trực tiếp.")
    on_time: int = Field(description="Hồ sơ giải quyết đúng hạn.")
    due: int = Field(description="Hồ sơ đã giải quyết hoặc đã đến hạn.")
    units: int = Field(description="Số đơn vị có số liệu (cộng qua các tháng: số lượt đơn vị-tháng).")
    online_share_percent: Decimal | None = Field(
        description="Tỷ lệ hồ sơ trực tuyến (%), cắt (không làm tròn) còn 2 chữ số thập phân; null khi chưa có hồ sơ.")
    on_time_percent: Decimal | None = Field(
        description="Tỷ lệ giải quyết đúng hạn (%), cắt còn 2 chữ số thập phân; null khi chưa có hồ sơ đến hạn.")


class OverviewGroupOut(Schema):
    key: str
    label: str
    units: int
    eligible: int = Field(description="Số đơn vị đạt điểm tối thiểu để xếp hạng.")
    totals: TotalsOut


class OverviewMonthOut(Schema):
    month: str
    provisional: bool = Field(description="Tháng chưa kết thúc.")
    owed: int = Field(description="Số đơn vị phải báo cáo tháng này (không tính đơn vị tham gia thi đua sau đó).")
    total: TotalsOut
    groups: dict[str, TotalsOut]


class OverviewOut(Schema):
    campaign: str
    as_of: date
    source: str = Field(description="Nguồn số liệu chấm điểm: reported | portal | portal_where_present.")
    units: int
    eligible: int
    min_total: int
    total: TotalsOut
    groups: list[OverviewGroupOut]
    months: list[OverviewMonthOut]


# ----- monthly report --------------------------------------------------------------------------

class FiguresIn(Schema):
    """The five counts a unit states each month."""

    model_config = ConfigDict(extra="forbid")

    new_accounts: Count = Field(description="Tài khoản tạo mới trong tháng.")
    dossiers_online: Count = Field(description="Hồ sơ trực tuyến tiếp nhận trong tháng.")
    resolved_on_time: Count = Field(description="Hồ sơ trực tuyến giải quyết đúng hạn trong tháng.")
    due: Count = Field(description="Hồ sơ trực tuyến đến hạn giải quyết trong tháng.")
    dossiers_in_person: Count = Field(description="Hồ sơ tiếp nhận trực tiếp, qua bưu chính trong tháng.")


class ReportIn(FiguresIn):
    has_plan: StrictBool = Field(description="Đơn vị đã ban hành kế hoạch thực hiện.")
    # Required, not defaulted: the list is cumulative, so leaving it out must not wipe it (n = 0 → −5).
    procedures: list[ProcedureName] = Field(
        max_length=MAX_PROCEDURES, description="Thủ tục đã đăng ký giải quyết trực tuyến (lũy kế), mỗi phần tử một tên."
    )
    initiatives: Text = Field("", max_length=5000, description="Giải pháp, sáng kiến.")
    note: Text = Field("", max_length=2000, description="Ghi chú / lý do điều chỉnh.")

    def to_data(self) -> ReportData:
        return ReportData(
            new_accounts=self.new_accounts, dossiers_online=self.dossiers_online,
            resolved_on_time=self.resolved_on_time, due=self.due, dossiers_in_person=self.dossiers_in_person,
            has_plan=self.has_plan, procedures=tuple(self.procedures), initiatives=self.initiatives,
            note=self.note,
        )


class ReportSubmittedOut(Schema):
    report_id: int
    unit: str
    month: str
    version: int = Field(description="Số phiên bản vừa tạo (1 = nộp lần đầu).")
    first_submitted_at: datetime = Field(description="Thời điểm nộp lần đầu: căn cứ tính đúng hạn.")
    days_late: int = Field(description="Số ngày trễ so với hạn nộp; 0 = đúng hạn.")
    status: str


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field(max_length=2000, description="Lý do (bắt buộc).")


class TrueFiguresIn(FiguresIn):
    """The figures a re-examination found (phúc tra): a new version of the report; its plan, procedures and texts
    stay as the unit stated them."""


class UntruthfulIn(ReasonIn):
    true_figures: TrueFiguresIn | None = Field(
        None, description="Số liệu đúng theo kết quả phúc tra (không bắt buộc): thành phiên bản mới của báo cáo.")


class ReportReviewedOut(Schema):
    report_id: int
    unit: str
    month: str
    status: str
    status_label: str
    untruthful: bool
    return_reason: str
    version: int = Field(description="Phiên bản hiện hành của báo cáo (số liệu được chấm điểm).")


# ----- units -------------------------------------------------------------------------------------

class UnitOut(Schema):
    code: str = Field(description="Mã đơn vị: dùng trong /units/{code}/… và trong bảng xếp hạng.")
    name: str
    group: str = Field(description="Khóa nhóm thi đua (commune, department…).")
    group_label: str = Field(description="Tên nhóm thi đua theo phong trào.")
    level: str
    parent: str | None = Field(description="Mã đơn vị cấp trên; null khi không có.")
    first_month: str | None = Field(
        description="Tháng đầu tiên đơn vị phải báo cáo (YYYY-MM); null: từ đầu phong trào.")


class UnitsOut(Schema):
    campaign: str
    units: list[UnitOut]


# ----- a unit's reports and a report's detail ----------------------------------------------------

class UnitReportOut(Schema):
    month: str
    due_date: date = Field(description="Hạn nộp báo cáo tháng.")
    owed: bool = Field(description="Đơn vị phải báo cáo tháng này (false: chưa tham gia thi đua tháng đó).")
    report_id: int | None = Field(description="null khi chưa nộp.")
    status: str | None = Field(description="submitted | verified | returned; null khi chưa nộp.")
    version: int | None = Field(description="Phiên bản hiện hành.")
    first_submitted_at: datetime | None
    days_late: int | None = Field(description="Số ngày nộp trễ (0 = đúng hạn); null khi chưa nộp.")
    untruthful: bool


class UnitReportsOut(Schema):
    campaign: str
    unit: str
    name: str
    reports: list[UnitReportOut]


class ReportVersionOut(Schema):
    number: int
    submitted_at: datetime
    submitted_by: str = Field(description="Họ tên người nộp (hoặc cán bộ thẩm định khi điều chỉnh lúc phúc tra).")
    created_by_review: bool = Field(description="Phiên bản do cán bộ thẩm định ghi số liệu đúng khi phúc tra.")
    new_accounts: int
    dossiers_online: int
    resolved_on_time: int
    due: int
    dossiers_in_person: int
    has_plan: bool
    procedures: list[str]
    initiatives: str
    note: str
    attachments: int = Field(description="Số tệp minh chứng (tải về qua giao diện web).")


class ReportDetailOut(Schema):
    report_id: int
    campaign: str
    unit: str
    unit_name: str
    month: str
    due_date: date
    first_submitted_at: datetime
    days_late: int = Field(description="Số ngày nộp trễ so với hạn; 0 = đúng hạn.")
    status: str = Field(description="submitted | verified | returned")
    status_label: str
    reviewed_at: datetime | None
    return_reason: str = Field(description="Lý do trả lại (khi status = returned); chuỗi rỗng nếu không.")
    untruthful: bool
    untruthful_reason: str
    untruthful_at: datetime | None
    version: int = Field(description="Phiên bản hiện hành.")
    versions: list[ReportVersionOut] = Field(description="Các phiên bản, cũ trước mới sau.")


# ----- monthly awards ----------------------------------------------------------------------------

class MonthlyAwardOut(Schema):
    unit: str
    unit_name: str
    total: int = Field(description="Tổng điểm của đơn vị khi xét.")
    prize_vnd: int = Field(description="Tiền thưởng (đồng).")
    ceremony_date: date
    decided_at: datetime
    decision_number: str
    decision_date: date | None
    flagged: bool = Field(description="Cần xem xét lại (báo cáo bị kết luận không trung thực sau khi khen).")
    flag_reason: str


class MonthlyAwardMonthOut(Schema):
    month: str
    closed: bool = Field(description="Đã chốt kết quả tháng.")
    due_passed: bool = Field(description="Đã qua hạn nộp báo cáo tháng.")
    award: MonthlyAwardOut | None = Field(description="Khen thưởng đang có hiệu lực; null khi chưa quyết định.")


class MonthlyAwardsOut(Schema):
    campaign: str
    months: list[MonthlyAwardMonthOut]
