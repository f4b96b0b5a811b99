"""The JSON API: thin endpoints over the reports selectors and services, errors in Vietnamese."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import SessionAuth
from ninja.security.http import HttpAuthBase

from thidua.api import tokens
from thidua.api.schemas import (
    ERROR_RESPONSES,
    MAX_COUNT,
    MatrixOut,
    MonthlyAwardsOut,
    OverviewOut,
    RankingsOut,
    ReasonIn,
    ReportDetailOut,
    ReportIn,
    ReportReviewedOut,
    ReportSubmittedOut,
    ScorecardOut,
    UnitReportsOut,
    UnitsOut,
    UntruthfulIn,
)
from thidua.campaigns.selectors import campaign_by_code
from thidua.core import clock
from thidua.reports.models import Report
from thidua.reports.selectors import (
    campaign_overview,
    campaign_result,
    competing_units,
    submission_matrix,
    unit_as_in_campaign,
)
from thidua.reports.services import (
    AlreadySaved,
    ReportData,
    ReportMovedOn,
    ReviewMovedOn,
    Shown,
    report_mark_untruthful,
    report_return,
    report_submit,
    report_untruthful_withdraw,
    report_verify,
    version_words,
)
from thidua.reports.views.common import check_month, get_campaign
from thidua.scoring.text import format_month
from thidua.units.models import Unit
from thidua.units.selectors import unit_by_code

# ----- authentication: a personal access token (Bearer) or a Django session (CSRF-checked), plus a role --------


def _role_check(user, role: str | None, denied: str | None):
    if user is not None and role and not getattr(user, role):
        # Raised before the body is parsed, so a wrong role never learns about validation.
        raise PermissionDenied(denied)
    return user


class RoleSessionAuth(SessionAuth):
    """ninja's session auth (CSRF check included) that also requires a User role property, if named."""

    openapi_description = ("Phiên đăng nhập Django (cookie sessionid, đăng nhập qua /dang-nhap/); yêu cầu POST cần mã "
                           "CSRF trong tiêu đề X-CSRFToken (giá trị cookie csrftoken).")

    def __init__(self, role: str | None = None, denied: str | None = None) -> None:
        super().__init__(csrf=True)
        self.role, self.denied = role, denied

    def _get_key(self, request):
        if not request.user.is_authenticated:  # "sign in" (401), not "send the CSRF token": there is no session
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return _role_check(super().authenticate(request, key), self.role, self.denied)


class BearerTokenAuth(HttpAuthBase):
    """``Authorization: Bearer <token>``: a personal access token (thidua.api.tokens), no CSRF token needed.
    A request without the header goes on to the session; one with a token that does not work is a 401 (never
    the session's answer instead), so a script learns that its token is wrong."""

    openapi_scheme = "bearer"  # HttpAuthBase rather than ninja's HttpBearer: this __call__ is the whole check
    openapi_description = ("Mã truy cập API (tdv_…), tạo ở trang «Thông tin cá nhân» → «Mã truy cập API»; mang vai "
                           "trò và đơn vị của người tạo mã; không cần mã CSRF.")

    def __init__(self, role: str | None = None, denied: str | None = None) -> None:
        super().__init__()
        self.role, self.denied = role, denied

    def __call__(self, request):
        user = token_user(request)
        return _role_check(user, self.role, self.denied) if user is not None else None


@sensitive_variables("scheme", "secret")
def token_user(request):
    """The user of the token the request sends (request.user becomes that user), or None without the header."""
    scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        # another scheme is not ours to judge: a proxy's HTTP Basic sign-in in front of the whole site puts one on
        # every request of a signed-in browser; the session (or its absence, a 401 naming Bearer) answers
        return None
    if not secret.strip():
        raise tokens.TokenRefused("Tiêu đề Authorization phải có dạng «Bearer <mã truy cập API>».")
    user = tokens.authenticate(request, secret.strip())
    request.user = user
    return user


def signed_in(role: str | None = None, denied: str | None = None) -> list:
    """An endpoint's auth: a token first, then the session."""
    return [BearerTokenAuth(role, denied), RoleSessionAuth(role, denied)]


any_auth = signed_in()
staff_auth = signed_in("sees_all_units", "Chỉ lãnh đạo và cán bộ thẩm định được xem nội dung này.")
reporter_auth = signed_in("is_reporter", "Chỉ cán bộ báo cáo của đơn vị được nộp báo cáo.")
reviewer_auth = signed_in("is_reviewer", "Chỉ cán bộ thẩm định được thẩm định báo cáo.")


# ----- request parsing and error responses -----------------------------------------------------


class MalformedJSON(ValueError):
    """The body is not a JSON object; the message is the Vietnamese reason."""


class NotJSONMediaType(MalformedJSON):
    """The body is sent under another media type than JSON (a form, text/plain): a 415."""


def _not_json(request) -> NotJSONMediaType:
    media_type = (request.content_type or "").lower()
    return NotJSONMediaType(f"nội dung phải gửi dưới dạng JSON (tiêu đề Content-Type: application/json), "
                            f"không phải «{media_type or 'không có'}».")


class JSONObjectParser(Parser):
    def parse_body(self, request):
        media_type = (request.content_type or "").lower()
        if media_type != "application/json" and not media_type.endswith("+json"):
            raise _not_json(request)
        try:
            data = json.loads(request.body)
        except UnicodeDecodeError as exc:
            raise MalformedJSON("nội dung không phải văn bản UTF-8.") from exc
        except json.JSONDecodeError as exc:
            raise MalformedJSON(f"sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}.") from exc
        except RecursionError as exc:
            raise MalformedJSON("các mảng, đối tượng lồng nhau quá sâu.") from exc
        except ValueError as exc:  # an integer longer than Python reads (sys.get_int_max_str_digits)
            raise MalformedJSON(f"có số dài quá {sys.get_int_max_str_digits()} chữ số.") from exc
        if not isinstance(data, dict):
            raise MalformedJSON("nội dung phải là một đối tượng JSON {…}.")
        return data


class UnicodeJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese stays readable in curl and logs


api = NinjaAPI(
    title="Thi Đua DVC API", version="1", urls_namespace="api", auth=any_auth, parser=JSONObjectParser(),
    renderer=UnicodeJSONRenderer(),
    description="API của phần mềm Thi Đua DVC (Kế hoạch 211/KH-UBND). Xác thực bằng mã truy cập API "
                "(tiêu đề `Authorization: Bearer tdv_…`, tạo ở trang «Thông tin cá nhân» → «Mã truy cập API»; "
                "không cần mã CSRF) hoặc bằng phiên đăng nhập Django (cookie `sessionid`; yêu cầu POST cần mã CSRF "
                "trong tiêu đề X-CSRFToken). Mã truy cập mang vai trò và đơn vị của người tạo mã.",
)

NINJA_MESSAGES = {
    "CSRF check Failed": "Yêu cầu bị từ chối: thiếu hoặc sai mã CSRF (tiêu đề X-CSRFToken).",
    "Too many requests.": "Quá nhiều yêu cầu, vui lòng thử lại sau.",
}


def _detail(request, status: int, message: str):
    return api.create_response(request, {"detail": message}, status=status)


def _errors(request, errors: list[tuple[str | None, str]]):
    body = {"errors": [{"field": field, "message": message} for field, message in errors]}
    return api.create_response(request, body, status=422)


def _field_name(loc: tuple) -> str | None:
    # ("body", "payload", "procedures", 0) → "procedures[0]"; ("path", "report_id") → "report_id"
    parts = list(loc[2:] if loc and loc[0] == "body" else loc[1:])
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or None


def _message(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "Thiếu trường bắt buộc." if len(error["loc"]) > 2 else "Thiếu nội dung yêu cầu (một đối tượng JSON)."
    if kind in {"int_type", "int_parsing", "int_from_float"} or (kind == "greater_than_equal" and ctx.get("ge") == 0):
        return "Giá trị phải là số nguyên không âm."
    if kind == "less_than_equal":
        return f"Giá trị quá lớn: tối đa {ctx.get('le', MAX_COUNT):,}.".replace(",", ".")
    if kind in {"bool_type", "bool_parsing"}:
        return "Giá trị phải là true hoặc false."
    if kind == "string_type":
        return "Giá trị phải là một chuỗi ký tự."
    if kind == "control_character":
        return (f"Nội dung chứa ký tự điều khiển không in được ({ctx.get('code')}), thường do sao chép từ Word; "
                "hãy bỏ ký tự đó.")
    if kind == "string_too_long":
        return f"Nội dung quá dài: tối đa {ctx.get('max_length')} ký tự."
    if kind == "list_type":
        return "Giá trị phải là một danh sách (mảng JSON)."
    if kind == "too_long":
        # pydantic says too_long (not string_too_long) of a text whose length is checked after a validator
        # (Text's AfterValidator): only a list's is about elements
        if ctx.get("field_type") == "List" or isinstance(error.get("input"), (list, tuple)):
            return f"Danh sách quá dài: tối đa {ctx.get('max_length')} phần tử."
        return f"Nội dung quá dài: tối đa {ctx.get('max_length')} ký tự."
    if kind == "extra_forbidden":
        return "Trường này không được hỗ trợ."
    if kind in {"model_attributes_type", "dict_type", "model_type"}:
        return "Dữ liệu phải là một đối tượng JSON."
    return "Giá trị không hợp lệ."


@api.exception_handler(NinjaValidationError)
def schema_invalid(request, exc: NinjaValidationError):
    return _errors(request, [(_field_name(tuple(e["loc"])), _message(e)) for e in exc.errors])


@api.exception_handler(ReviewMovedOn)
def review_moved_on(request, exc: ReviewMovedOn):
    # the report changed after the version the client names (?version=): a conflict to look at again, not bad data
    return _detail(request, 409, " ".join(exc.messages))


@api.exception_handler(DjangoValidationError)
def service_invalid(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return _errors(request, [(field, m) for field, messages in exc.message_dict.items() for m in messages])
    return _errors(request, [(None, m) for m in exc.messages])


NOT_SIGNED_IN = "Cần đăng nhập: gửi mã truy cập API (tiêu đề Authorization: Bearer …) hoặc dùng phiên đăng nhập."


def _unauthorized(request, message: str, error: str | None = None):
    response = _detail(request, 401, message)
    # RFC 6750: a 401 names the scheme a client should use; error="invalid_token" when the token sent is refused
    response["WWW-Authenticate"] = 'Bearer realm="thidua"' + (f', error="{error}"' if error else "")
    return response


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc):
    return _unauthorized(request, NOT_SIGNED_IN)


@api.exception_handler(tokens.TokenRefused)
def token_refused(request, exc):
    return _unauthorized(request, str(exc), "invalid_token")


@api.exception_handler(tokens.TooManyFailures)
def token_failures(request, exc: tokens.TooManyFailures):
    minutes = max(1, exc.wait_seconds // 60)
    response = _detail(request, 429, f"Gửi mã truy cập API sai quá nhiều lần từ địa chỉ này; hãy thử lại sau "
                                     f"{minutes} phút.")
    response["Retry-After"] = str(exc.wait_seconds)
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _detail(request, 403, str(exc) or "Bạn không có quyền thực hiện thao tác này.")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _detail(request, 404, str(exc) or "Không tìm thấy.")


@api.exception_handler(RawPostDataException)
def form_body(request, exc):
    # A multipart form's body is read as a form (the CSRF check, the form input middleware) before the API
    # would parse it, and Django then refuses to give it again: a body not sent as JSON, as any other.
    return _detail(request, 415, f"Kiểu dữ liệu không được hỗ trợ: {_not_json(request)}")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, NotJSONMediaType):
        return _detail(request, 415, f"Kiểu dữ liệu không được hỗ trợ: {exc.__cause__}")
    if isinstance(exc.__cause__, MalformedJSON):  # ninja wraps the parser's error in a 400
        return _detail(request, 400, f"Dữ liệu JSON không hợp lệ: {exc.__cause__}")
    return _detail(request, exc.status_code, NINJA_MESSAGES.get(exc.message, exc.message))


# ----- fetch helpers ---------------------------------------------------------------------------

PUBLIC_FIELDS = ("code", "name", "group", "total", "eligible", "rank", "tie")


def _unit_for(user, code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise Http404(f"Không tìm thấy đơn vị có mã «{code}».")
    if not user.can_view_unit(unit):
        raise PermissionDenied("Bạn chỉ được xem số liệu của đơn vị mình.")
    return unit


def _report(report_id: int) -> Report:
    report = Report.objects.select_related("unit", "campaign").filter(pk=report_id).first()
    if report is None:
        raise Http404(f"Không tìm thấy báo cáo số {report_id}.")
    return report


def _days_late(report: Report) -> int:
    due = report.campaign.rubric.due_date(report.month)
    return max(0, (clock.local_date(report.first_submitted_at) - due).days)


def _submitted(report: Report) -> dict:
    return {
        "report_id": report.pk, "unit": report.unit.code, "month": report.month, "version": report.current.number,
        "first_submitted_at": timezone.localtime(report.first_submitted_at), "days_late": _days_late(report),
        "status": report.status,
    }


def _reviewed(report: Report) -> dict:
    return {
        "report_id": report.pk, "unit": report.unit.code, "month": report.month, "status": report.status,
        "status_label": report.get_status_display(), "untruthful": report.untruthful,
        "return_reason": report.return_reason, "version": report.current.number if report.current else 0,
    }


CAMPAIGN_QUERY = Query(None, description="Mã phong trào (một phong trào đã qua cũng được); bỏ trống: phong trào "
                                       "đang áp dụng. / A campaign's code (a past one too); empty: the one applied.")


def _campaign(code: str | None):
    """The campaign a read endpoint answers for: the one its ``campaign`` query parameter names (a past one too),
    else the one applied; 404 for a code that names none."""
    return campaign_by_code(code) if code else get_campaign()


# ----- endpoints -------------------------------------------------------------------------------


@api.get("/rankings", auth=None, response={200: RankingsOut, **{k: ERROR_RESPONSES[k] for k in (401, 404, 429)}},
         summary="Bảng xếp hạng hiện tại (công khai; đầy đủ ghi chú cho cán bộ)")
def rankings(request, campaign: str | None = CAMPAIGN_QUERY):
    token_user(request)  # public, but a token sent is checked (and shows staff the full fields)
    result = campaign_result(_campaign(campaign))
    contract = result.to_contract()
    names = {card.code: card.name for card in result.scorecards}
    units = [{**unit, "name": names[unit["code"]]} for unit in contract["units"]]
    if not (request.user.is_authenticated and request.user.sees_all_units):
        units = [{key: unit[key] for key in PUBLIC_FIELDS} for unit in units]
    return {**contract, "units": units}


@api.get("/units/{code}/scorecard", response={200: ScorecardOut, **ERROR_RESPONSES},
         summary="Phiếu điểm của một đơn vị")
def unit_scorecard(request, code: str, campaign: str | None = CAMPAIGN_QUERY):
    unit = _unit_for(request.user, code)
    result = campaign_result(_campaign(campaign))
    card = next((c for c in result.scorecards if c.code == unit.code), None)
    if card is None:
        raise Http404("Đơn vị này không tham gia phong trào.")
    return {**asdict(card), "campaign": result.rubric.code, "as_of": result.as_of, "penalty": card.penalty}


@api.get("/reports/matrix", auth=staff_auth, response={200: MatrixOut, **ERROR_RESPONSES},
         summary="Ma trận tình hình nộp báo cáo (đơn vị × tháng)")
def report_matrix(request, campaign: str | None = CAMPAIGN_QUERY):
    campaign = _campaign(campaign)
    as_of = clock.today()
    months, rows = submission_matrix(campaign, as_of)
    units = [{"code": unit.code, "name": unit.name, "group": unit.group, "cells": [asdict(c) for c in cells]}
             for unit, cells in rows]
    return {"campaign": campaign.code, "as_of": as_of, "months": months, "units": units}


def _totals(t) -> dict:
    return {"accounts": t.accounts, "online": t.online, "in_person": t.in_person, "on_time": t.on_time, "due": t.due,
            "units": t.units, "online_share_percent": t.online_share_percent, "on_time_percent": t.on_time_percent}


@api.get("/overview", auth=staff_auth, response={200: OverviewOut, **ERROR_RESPONSES},
         summary="Tổng quan phong trào: số liệu theo nhóm và theo tháng")
def overview(request, campaign: str | None = CAMPAIGN_QUERY):
    campaign = _campaign(campaign)
    data = campaign_overview(campaign)
    return {
        "campaign": campaign.code, "as_of": data.as_of, "source": campaign.score_source, "units": data.units,
        "eligible": data.eligible, "min_total": data.min_total, "total": _totals(data.total),
        "groups": [{"key": g.key, "label": g.label, "units": g.units, "eligible": g.eligible,
                    "totals": _totals(g.totals)} for g in data.groups],
        "months": [{"month": m.month, "provisional": m.provisional, "owed": m.owed, "total": _totals(m.total),
                    "groups": {key: _totals(t) for key, t in m.by_group.items()}} for m in data.months],
    }


def _moment(value):
    return timezone.localtime(value) if value else None


# Before POST /reports/{month}: Django takes the first path that matches, and "7" would be a month there.
@api.get("/reports/{int:report_id}", response={200: ReportDetailOut, **ERROR_RESPONSES},
         summary="Một báo cáo tháng: các phiên bản số liệu, tình trạng, số ngày trễ, kết quả thẩm định")
def report_detail(request, report_id: int):
    report = _report(report_id)
    if not request.user.can_view_unit(report.unit):  # as the report's page: staff, or the unit's own reporter
        raise PermissionDenied("Bạn chỉ được xem báo cáo của đơn vị mình.")
    versions = report.versions.select_related("submitted_by").prefetch_related("attachments").order_by("number")
    return {
        "report_id": report.pk, "campaign": report.campaign.code, "unit": report.unit.code,
        "unit_name": unit_as_in_campaign(report.campaign, report.unit).name, "month": report.month,
        "due_date": report.campaign.rubric.due_date(report.month),
        "first_submitted_at": _moment(report.first_submitted_at), "days_late": _days_late(report),
        "status": report.status, "status_label": report.get_status_display(),
        "reviewed_at": _moment(report.reviewed_at),
        "return_reason": report.return_reason if report.status == Report.Status.RETURNED else "",
        "untruthful": report.untruthful, "untruthful_reason": report.untruthful_reason if report.untruthful else "",
        "untruthful_at": _moment(report.untruthful_at) if report.untruthful else None,
        "version": report.current.number if report.current else 0,
        "versions": [{
            "number": v.number, "submitted_at": _moment(v.submitted_at), "submitted_by": v.submitted_by.display_name,
            "created_by_review": v.created_by_review, "new_accounts": v.new_accounts,
            "dossiers_online": v.dossiers_online, "resolved_on_time": v.resolved_on_time, "due": v.due,
            "dossiers_in_person": v.dossiers_in_person, "has_plan": v.has_plan, "procedures": list(v.procedures),
            "initiatives": v.initiatives, "note": v.note, "attachments": len(v.attachments.all()),
        } for v in versions],
    }


BASED_ON_QUERY = Query(None, ge=0, le=1_000_000, description=(
    "Phiên bản mà lần gửi này dựa trên (`version` của GET /reports/{id}; 0 khi tháng chưa có báo cáo), không bắt "
    "buộc. Gửi lại đúng nội dung đã được lưu (mạng chập chờn, chương trình tự thử lại): 200 với báo cáo như đã lưu, "
    "không ghi thêm gì. Báo cáo đã có phiên bản khác: 409, không ghi gì. / The version this send is based on "
    "(optional): the same send again is a 200 writing nothing; a report moved on since is a 409."))


@api.post("/reports/{month}", auth=reporter_auth,
          response={200: ReportSubmittedOut, 201: ReportSubmittedOut, **ERROR_RESPONSES, 409: ERROR_RESPONSES[403]},
          summary="Nộp hoặc điều chỉnh báo cáo tháng của đơn vị mình (201 lần đầu, 200 khi điều chỉnh)")
def submit_report(request, month: str, payload: ReportIn, based_on: int | None = BASED_ON_QUERY):
    campaign = get_campaign()
    check_month(campaign, month)
    try:
        report = report_submit(campaign=campaign, unit=request.user.unit, month=month, actor=request.user,
                               data=payload.to_data(), based_on=based_on)
    except AlreadySaved as saved:  # this very send, saved already: a retry after a lost answer
        return Status(200, _submitted(saved.report))
    except ReportMovedOn as moved:
        return _detail(request, 409, (
            f"Báo cáo {format_month(month)} đã có {version_words(moved.report.current)}, khác phiên bản {based_on} "
            f"mà lần gửi này dựa trên: chưa ghi gì. Hãy đọc phiên bản hiện hành (GET /api/v1/reports/"
            f"{moved.report.pk}) rồi gửi lại với ?based_on={moved.number} nếu vẫn muốn điều chỉnh."))
    return Status(201 if report.current.number == 1 else 200, _submitted(report))


VERSION_QUERY = Query(None, ge=1, le=1_000_000, description=(
    "Phiên bản báo cáo đã xem (trường `version` của GET /reports/{id}), không bắt buộc: báo cáo đã có phiên bản "
    "khác, hoặc đã được cán bộ khác xác nhận, trả lại sau đó, thì trả 409 và không ghi gì. / The version examined "
    "(optional): a 409, nothing written, when the report has changed since."))
REVIEW_RESPONSES = {200: ReportReviewedOut, **ERROR_RESPONSES, 409: ERROR_RESPONSES[403]}


def _shown(report: Report, version: int | None) -> Shown | None:
    """What the client says it examined: the version it names, and the report's status as it reads now."""
    return None if version is None else Shown(version, report.status)


@api.post("/reports/{report_id}/verify", auth=reviewer_auth, response=REVIEW_RESPONSES, summary="Xác nhận báo cáo")
def verify_report(request, report_id: int, version: int | None = VERSION_QUERY):
    report = _report(report_id)
    return _reviewed(report_verify(report=report, actor=request.user, shown=_shown(report, version)))


@api.post("/reports/{report_id}/return", auth=reviewer_auth, response=REVIEW_RESPONSES,
          summary="Trả lại báo cáo để đơn vị bổ sung, điều chỉnh")
def return_report(request, report_id: int, payload: ReasonIn, version: int | None = VERSION_QUERY):
    report = _report(report_id)
    return _reviewed(report_return(report=report, actor=request.user, reason=payload.reason,
                                   shown=_shown(report, version)))


@api.post("/reports/{report_id}/untruthful", auth=reviewer_auth, response=REVIEW_RESPONSES,
          summary="Kết luận báo cáo không trung thực (trừ điểm theo tiêu chí: 2 điểm ở Kế hoạch 211), "
                  "kèm số liệu đúng nếu có")
def mark_report_untruthful(request, report_id: int, payload: UntruthfulIn, version: int | None = VERSION_QUERY):
    report = _report(report_id)
    corrected = None
    if payload.true_figures is not None and report.current is not None:
        corrected = ReportData.true_figures(report.current, payload.true_figures.model_dump())
    return _reviewed(report_mark_untruthful(report=report, actor=request.user, reason=payload.reason,
                                            corrected=corrected, shown=_shown(report, version)))


@api.post("/reports/{report_id}/untruthful/withdraw", auth=reviewer_auth,
          response={200: ReportReviewedOut, **ERROR_RESPONSES},
          summary="Hủy kết luận báo cáo không trung thực (kết luận nhầm, giải trình được chấp nhận)")
def withdraw_report_untruthful(request, report_id: int, payload: ReasonIn):
    return _reviewed(report_untruthful_withdraw(report=_report(report_id), actor=request.user, reason=payload.reason))


@api.get("/units", auth=None, response={200: UnitsOut, **{k: ERROR_RESPONSES[k] for k in (401, 404, 429)}},
         summary="Danh sách đơn vị thi đua của phong trào (công khai): mã, tên, nhóm")
def units(request, campaign: str | None = CAMPAIGN_QUERY):
    token_user(request)  # public; a token sent is still checked
    campaign = _campaign(campaign)
    rows = competing_units(campaign)
    labels = {key: group.label for key, group in campaign.rubric.groups.items()}
    parents = dict(Unit.objects.filter(pk__in={u.parent_id for u in rows if u.parent_id})
                   .values_list("pk", "code"))
    return {"campaign": campaign.code, "units": [
        {"code": u.code, "name": u.name, "group": u.group, "group_label": labels.get(u.group, u.group),
         "level": u.level, "parent": parents.get(u.parent_id), "first_month": u.first_month or None}
        for u in rows]}


@api.get("/units/{code}/reports", response={200: UnitReportsOut, **ERROR_RESPONSES},
         summary="Báo cáo tháng của một đơn vị: từng tháng của kỳ báo cáo, đã nộp hay chưa, tình trạng")
def unit_reports(request, code: str, campaign: str | None = CAMPAIGN_QUERY):
    unit = _unit_for(request.user, code)
    campaign = _campaign(campaign)
    shown = unit_as_in_campaign(campaign, unit)
    reports = {r.month: r for r in Report.objects.filter(campaign=campaign, unit=unit)
               .select_related("current", "campaign", "unit")}
    rows = []
    for month in campaign.rubric.reports.months:
        report = reports.get(month)
        rows.append({
            "month": month, "due_date": campaign.rubric.due_date(month), "owed": shown.owes_report(month),
            "report_id": report.pk if report else None, "status": report.status if report else None,
            "version": report.current.number if report and report.current else None,
            "first_submitted_at": timezone.localtime(report.first_submitted_at) if report else None,
            "days_late": _days_late(report) if report else None, "untruthful": bool(report and report.untruthful),
        })
    return {"campaign": campaign.code, "unit": unit.code, "name": shown.name, "reports": rows}


@api.get("/awards/monthly", auth=staff_auth, response={200: MonthlyAwardsOut, **ERROR_RESPONSES},
         summary="Khen thưởng đột xuất hằng tháng của phong trào: đơn vị được khen, tiền thưởng, số quyết định")
def monthly_awards(request, campaign: str | None = CAMPAIGN_QUERY):
    from thidua.awards.selectors import monthly_overview

    campaign = _campaign(campaign)
    months = []
    for row in monthly_overview(campaign):
        award = row.award
        months.append({"month": row.month, "closed": row.closed, "due_passed": row.due_passed, "award": None
                       if award is None else {
                           "unit": award.unit.code, "unit_name": award.unit_name or award.unit.name,
                           "total": award.total, "prize_vnd": award.prize_vnd, "ceremony_date": award.ceremony_date,
                           "decided_at": _moment(award.decided_at), "decision_number": award.decision_number,
                           "decision_date": award.decision_date, "flagged": award.flagged,
                           "flag_reason": award.flag_reason}})
    return {"campaign": campaign.code, "months": months}
