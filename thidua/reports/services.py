"""Writes on monthly reports: submit and correct (new versions), verify, return, mark untruthful."""

from __future__ import annotations

import logging
import mimetypes
import smtplib
import socket
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_touch
from thidua.core import clock
from thidua.core.audit import audit
from thidua.reports.models import Attachment, Report, ReportVersion
from thidua.reports.selectors import reminder_list
from thidua.scoring.text import format_date, format_int, format_month, format_report_penalties
from thidua.units.models import Unit, User

logger = logging.getLogger(__name__)

ALLOWED_EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
MAX_ATTACHMENTS = 10
# What each upload accepts, as the form's labels name it: a plan is a document or a scan of one.
EVIDENCE_TYPES = tuple(ALLOWED_EVIDENCE_TYPES)
PLAN_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class ReportData:
    """The figures of one monthly report as the unit states them."""

    new_accounts: int
    dossiers_online: int
    resolved_on_time: int
    due: int
    dossiers_in_person: int
    has_plan: bool
    procedures: tuple[str, ...] = ()
    initiatives: str = ""
    note: str = ""

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name in ("new_accounts", "dossiers_online", "resolved_on_time", "due", "dossiers_in_person"):
            if getattr(self, name) < 0:
                errors[name] = "Số liệu không được âm."
        if self.resolved_on_time > self.due:
            errors["resolved_on_time"] = (
                f"Số hồ sơ giải quyết đúng hạn ({self.resolved_on_time}) không được lớn hơn "
                f"số hồ sơ đến hạn ({self.due})."
            )
        names = [p.strip() for p in self.procedures]
        if any(not n for n in names):
            errors["procedures"] = "Tên thủ tục không được để trống."
        elif len({n.casefold() for n in names}) != len(names):
            errors["procedures"] = "Danh sách thủ tục có tên bị trùng."
        return errors

    def as_dict(self) -> dict:
        data = asdict(self)
        data["procedures"] = list(self.procedures)
        return data


@dataclass
class EvidenceFile:
    name: str
    upload: UploadedFile = field(repr=False)


def _type_names(allowed: tuple[str, ...]) -> str:
    return ", ".join(dict.fromkeys(ext.lstrip(".").upper().replace("JPEG", "JPG") for ext in allowed))


def validate_evidence(upload: UploadedFile, allowed: tuple[str, ...] = EVIDENCE_TYPES) -> str:
    """Return the checked content type, or raise a Vietnamese ValidationError (``allowed``: extensions)."""
    name = upload.name or ""
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if ext not in allowed:
        raise ValidationError(f"Tệp «{name}» không đúng định dạng cho phép ({_type_names(allowed)}).")
    limit = settings.THIDUA_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Tệp «{name}» quá lớn ({upload.size // 1024:,} KB); tối đa {limit // 1024:,} KB.".replace(",", ".")
        )
    if upload.size == 0:
        raise ValidationError(f"Tệp «{name}» rỗng.")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in _MAGIC[ext]) or not _office_part_present(upload, ext):
        raise ValidationError(f"Nội dung tệp «{name}» không khớp với phần mở rộng {ext}.")
    return ALLOWED_EVIDENCE_TYPES[ext] or mimetypes.guess_type(name)[0] or "application/octet-stream"


def check_uploads(evidence, plan_file) -> list[tuple[UploadedFile, str]]:
    """Check a report's files: the evidence (with their content types, returned) and the plan file.
    Raises a ValidationError naming each bad file under its field, "evidence" or "plan_file"."""
    problems: dict[str, list[str]] = {}
    checked = []
    if len(evidence) > MAX_ATTACHMENTS:
        problems["evidence"] = [f"Tối đa {MAX_ATTACHMENTS} tệp minh chứng cho mỗi lần nộp."]
    else:
        for upload in evidence:
            try:
                checked.append((upload, validate_evidence(upload)))
            except ValidationError as exc:
                problems.setdefault("evidence", []).extend(exc.messages)
    if plan_file is not None:
        try:
            validate_evidence(plan_file, PLAN_TYPES)
        except ValidationError as exc:
            problems["plan_file"] = exc.messages
    if problems:
        raise ValidationError(problems)
    return checked


_OFFICE_PARTS = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def _office_part_present(upload: UploadedFile, ext: str) -> bool:
    """A .docx/.xlsx is a zip with its main part inside; any other zip renamed so is refused."""
    part = _OFFICE_PARTS.get(ext)
    if part is None:
        return True
    try:
        with zipfile.ZipFile(upload) as archive:
            return part in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def _check_month(campaign: Campaign, month: str) -> None:
    if month not in campaign.rubric.reports.months:
        raise ValidationError(f"{month} không phải là tháng báo cáo của phong trào.")


@transaction.atomic
def report_submit(
    *,
    campaign: Campaign,
    unit: Unit,
    month: str,
    actor,
    data: ReportData,
    evidence: list[UploadedFile] | tuple = (),
    plan_file: UploadedFile | None = None,
) -> Report:
    """First submission or a correction: always a new immutable version; lateness uses the first."""
    if not actor.can_report_for(unit):
        raise PermissionDenied("Bạn chỉ được báo cáo cho đơn vị của mình.")
    return _save_version(campaign=campaign, unit=unit, month=month, actor=actor, data=data, evidence=evidence,
                         plan_file=plan_file)


@transaction.atomic
def report_enter_received(
    *,
    campaign: Campaign,
    unit: Unit,
    month: str,
    actor,
    data: ReportData,
    received_on: date,
    reference: str,
    evidence: list[UploadedFile] | tuple = (),
    plan_file: UploadedFile | None = None,
) -> Report:
    """A report the unit sent in writing or by email, entered by the reviewer: its lateness counts from
    the day the office received it (not from the day it is entered), and the version says where it came
    from. Only for a month the unit has not reported; the unit corrects it afterwards as its own."""
    _require_reviewer(actor)
    if not unit.active or unit.group not in campaign.rubric.groups:
        raise ValidationError(f"{unit.name} không tham gia phong trào này.")
    reference = " ".join((reference or "").split())
    problems = {}
    if len(reference) < 3:
        problems["reference"] = ("Ghi số, ký hiệu văn bản báo cáo của đơn vị (ví dụ 45/BC-UBND), "
                                 "hoặc «thư điện tử ngày …».")
    if received_on > clock.today():
        problems["received_on"] = f"Ngày nhận {format_date(received_on)} ở sau hôm nay."
    elif received_on < campaign.rubric.campaign.start:
        problems["received_on"] = (f"Ngày nhận {format_date(received_on)} ở trước ngày bắt đầu phong trào "
                                   f"({format_date(campaign.rubric.campaign.start)}).")
    if problems:
        raise ValidationError(problems)
    received_at = timezone.make_aware(datetime.combine(received_on, time(12, 0)))
    return _save_version(campaign=campaign, unit=unit, month=month, actor=actor, data=data, evidence=evidence,
                         plan_file=plan_file, received=(received_at, reference))


def _save_version(*, campaign: Campaign, unit: Unit, month: str, actor, data: ReportData, evidence, plan_file,
                  received: tuple[datetime, str] | None = None) -> Report:
    """Write a report version (a first submission or a correction) for report_submit and, with
    ``received`` (when the written report reached the office, its number), for report_enter_received."""
    _check_month(campaign, month)
    problems = data.problems()
    if problems:
        raise ValidationError(problems)
    checked = check_uploads(evidence, plan_file)

    now = clock.now()
    report = (
        Report.objects.select_for_update().filter(campaign=campaign, unit=unit, month=month).first()
    )
    before = None
    note = data.note.strip()
    if received is not None:
        if report is not None:
            raise ValidationError(f"{unit.name} đã có báo cáo {format_month(month)}; muốn điều chỉnh, hãy trả lại "
                                  "báo cáo để đơn vị điều chỉnh.")
        received_at, reference = received
        source = (f"Báo cáo bằng văn bản số {reference}, {_office(campaign)} nhận ngày "
                  f"{format_date(timezone.localdate(received_at))}; {actor.display_name} nhập thay đơn vị.")
        note = f"{source} {note}".strip()
    if report is None:
        report = Report.objects.create(campaign=campaign, unit=unit, month=month,
                                       first_submitted_at=received[0] if received else now)
        number = 1
        if received:
            action = "report.entered_for_unit"
            summary = (f"Nhập thay báo cáo {format_month(month)} theo văn bản số {received[1]}, nhận ngày "
                       f"{format_date(timezone.localdate(received[0]))}")
        else:
            action, summary = "report.submitted", f"Nộp báo cáo {format_month(month)}"
    else:
        if report.status == Report.Status.VERIFIED:
            raise ValidationError(
                "Báo cáo đã được cán bộ thẩm định xác nhận; muốn điều chỉnh, đề nghị cán bộ thẩm định trả lại báo cáo."
            )
        before = _version_dict(report.current)
        number = report.current.number + 1
        action, summary = "report.corrected", f"Điều chỉnh báo cáo {format_month(month)} (phiên bản {number})"
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        submitted_at=now,
        submitted_by=actor,
        new_accounts=data.new_accounts,
        procedures=[p.strip() for p in data.procedures],
        dossiers_online=data.dossiers_online,
        resolved_on_time=data.resolved_on_time,
        due=data.due,
        dossiers_in_person=data.dossiers_in_person,
        has_plan=data.has_plan,
        initiatives=data.initiatives.strip(),
        note=note,
    )
    if plan_file is not None:
        version.plan_file.save(plan_file.name, plan_file, save=True)
    for upload, content_type in checked:
        attachment = Attachment(version=version, original_name=upload.name[:255], size=upload.size,
                                content_type=content_type)
        attachment.file.save(upload.name, upload, save=True)
    report.current = version
    report.status = Report.Status.SUBMITTED
    report.save(update_fields=["current", "status"])
    campaign_touch(campaign=campaign)
    after = _version_dict(version)
    if received:
        after.update(received_on=timezone.localdate(received[0]), reference=received[1])
    audit(action, actor=actor, obj=report, unit_code=unit.code, campaign_code=campaign.code,
          summary=f"{unit.name}: {summary}", before=before, after=after)
    return report


def _version_dict(version: ReportVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "version": version.number,
        "submitted_at": version.submitted_at,
        "new_accounts": version.new_accounts,
        "procedures": version.procedures,
        "dossiers_online": version.dossiers_online,
        "resolved_on_time": version.resolved_on_time,
        "due": version.due,
        "dossiers_in_person": version.dossiers_in_person,
        "has_plan": version.has_plan,
        "initiatives": version.initiatives,
        "attachments": [a.original_name for a in version.attachments.all()],
    }


def _review_state(report: Report) -> dict:
    return {
        "status": report.status,
        "return_reason": report.return_reason,
        "untruthful": report.untruthful,
        "untruthful_reason": report.untruthful_reason,
    }


def _require_reviewer(actor) -> None:
    if not getattr(actor, "is_reviewer", False):
        raise PermissionDenied("Chỉ cán bộ thẩm định được thẩm định báo cáo.")


@transaction.atomic
def report_verify(*, report: Report, actor) -> Report:
    _require_reviewer(actor)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == Report.Status.VERIFIED:
        raise ValidationError("Báo cáo này đã được xác nhận.")
    before = _review_state(report)
    report.status = Report.Status.VERIFIED
    report.return_reason = ""
    report.reviewed_at = clock.now()
    report.reviewed_by = actor
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    campaign_touch(campaign=report.campaign)
    audit("report.verified", actor=actor, obj=report, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"{report.unit.name}: xác nhận báo cáo {format_month(report.month)}",
          before=before, after=_review_state(report))
    return report


@transaction.atomic
def report_return(*, report: Report, actor, reason: str, site_url: str = "") -> Report:
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Cần ghi rõ lý do trả lại báo cáo."})
    report = Report.objects.select_for_update().get(pk=report.pk)
    before = _review_state(report)
    report.status = Report.Status.RETURNED
    report.return_reason = reason
    report.reviewed_at = clock.now()
    report.reviewed_by = actor
    report.save(update_fields=["status", "return_reason", "reviewed_at", "reviewed_by"])
    campaign_touch(campaign=report.campaign)
    audit("report.returned", actor=actor, obj=report, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"{report.unit.name}: trả lại báo cáo {format_month(report.month)} — {reason}",
          before=before, after=_review_state(report))
    month = format_month(report.month)
    office = _office(report.campaign)
    report.notice = _notify_unit(report.unit, f"{office} trả lại báo cáo {month} của {report.unit.name} để bổ sung", [
        f"{office} đã trả lại báo cáo {month} của đơn vị để bổ sung, điều chỉnh.",
        f"Lý do: {reason}",
        f"Thời điểm nộp lần đầu vẫn được dùng để tính đúng hạn; đề nghị đơn vị điều chỉnh sớm để {office} thẩm định.",
        "",
        _submit_link(site_url or settings.THIDUA_SITE_URL, report.month, "Điều chỉnh báo cáo"),
    ])
    return report


@transaction.atomic
def report_mark_untruthful(
    *, report: Report, actor, reason: str, corrected: ReportData | None = None, site_url: str = ""
) -> Report:
    """A finding of untruthfulness (−2), possibly long after (phúc tra); corrected figures become a version."""
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Cần ghi rõ căn cứ kết luận báo cáo không trung thực (ít nhất 10 ký tự)."})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.untruthful:
        raise ValidationError("Báo cáo này đã bị kết luận không trung thực.")
    before = _review_state(report)
    now = clock.now()
    report.untruthful = True
    report.untruthful_reason = reason
    report.untruthful_at = now
    report.untruthful_by = actor
    fields = ["untruthful", "untruthful_reason", "untruthful_at", "untruthful_by"]
    if corrected is not None:
        problems = corrected.problems()
        if problems:
            raise ValidationError(problems)
        version = ReportVersion.objects.create(
            report=report, number=report.current.number + 1, submitted_at=now, submitted_by=actor,
            new_accounts=corrected.new_accounts, procedures=list(corrected.procedures),
            dossiers_online=corrected.dossiers_online, resolved_on_time=corrected.resolved_on_time,
            due=corrected.due, dossiers_in_person=corrected.dossiers_in_person, has_plan=corrected.has_plan,
            initiatives=report.current.initiatives, note=f"Số liệu điều chỉnh khi phúc tra: {reason}",
            created_by_review=True,
        )
        report.current = version
        fields.append("current")
    report.save(update_fields=fields)
    campaign_touch(campaign=report.campaign)
    audit("report.marked_untruthful", actor=actor, obj=report, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"{report.unit.name}: kết luận báo cáo {format_month(report.month)} không trung thực (−2) — {reason}",
          before=before, after=_review_state(report))
    month, points = format_month(report.month), -report.campaign.rubric.reports.untruthful_points
    path = reverse("report-detail", args=[report.pk])
    site_url = site_url or settings.THIDUA_SITE_URL
    report.notice = _notify_unit(report.unit, f"Báo cáo {month} của {report.unit.name} bị kết luận không trung thực", [
        f"{_office(report.campaign)} kết luận báo cáo {month} của đơn vị không trung thực; "
        f"đơn vị bị trừ {format_int(points)} điểm.",
        f"Căn cứ kết luận: {reason}",
        "",
        f"Xem báo cáo tại: {site_url.rstrip('/')}{path}" if site_url
        else "Xem báo cáo trên Thi Đua DVC, mục «Báo cáo tháng».",
    ])
    # Awards already granted on this report are flagged by the awards app's signal handler, if installed.
    from thidua.reports.signals import report_marked_untruthful

    report_marked_untruthful.send(sender=Report, report=report, actor=actor)
    return report


# ----- deadline reminders by email ---------------------------------------------------------------

class ReminderError(Exception):
    """No reminder could be sent; ``message`` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReminderOutcome:
    sent: tuple  # ReminderUnit, each reminded by one email to its reporters
    failed: tuple  # (ReminderUnit, why)
    without_email: tuple  # ReminderUnit whose reporters gave no address


def _timing(days_left: int) -> str:
    if days_left > 0:
        return f"Còn {days_left} ngày đến hạn."
    if days_left == 0:
        return "Hôm nay là ngày cuối của hạn nộp."
    return f"Báo cáo đã quá hạn {-days_left} ngày."


AUTOMATIC = "Thư này do Thi Đua DVC gửi tự động; vui lòng không trả lời thư này."


def _submit_link(site_url: str, month: str, verb: str = "Nộp báo cáo") -> str:
    path = reverse("report-submit", kwargs={"month": month})
    if site_url:
        return f"{verb} tại: {site_url.rstrip('/')}{path}"
    return f"{verb} trên Thi Đua DVC, mục «Báo cáo tháng»."


@dataclass
class UnitNotice:
    """The email telling a unit's reporters of a review: to whom, and, once the review has committed and
    the mail server was asked, whether it went (``error``: why not, in Vietnamese)."""

    recipients: list[str]
    sent: bool = False
    error: str = ""


def _notify_unit(unit: Unit, subject: str, lines: list[str]) -> UnitNotice | None:
    """Once the write has committed, email the unit's active reporters who gave an address (when a mail
    server is set); None when there is no one to email. A mail server that fails is logged and noted on
    the returned notice for the reviewer; it never undoes the write."""
    if not settings.THIDUA_EMAIL_ENABLED:
        return None
    emails = list(dict.fromkeys(User.objects.filter(role=User.Role.REPORTER, is_active=True, unit=unit)
                                .exclude(email="").values_list("email", flat=True)))
    if not emails:
        return None
    body = "\n".join([f"Kính gửi: Cán bộ báo cáo {unit.name},", "", *lines, "", AUTOMATIC])
    notice = UnitNotice(emails)

    def send() -> None:
        try:
            EmailMessage(subject, body, to=emails).send()
        except (OSError, smtplib.SMTPException) as exc:
            logger.exception("could not email the reporters of %s: %s", unit.code, subject)
            notice.error = _smtp_reason(exc)
        else:
            notice.sent = True

    transaction.on_commit(send)
    return notice


def _office(campaign: Campaign) -> str:
    from thidua.awards.dossier import district_info

    info = district_info(campaign)
    return f"{info.home_affairs} {info.locality}"


def reminder_email(campaign: Campaign, reminders, item, *, site_url: str = "", today=None) -> tuple[str, str]:
    """The subject and text of the reminder to one unit's reporters (``reminders``: a ReminderList)."""
    rules, office = campaign.rubric.reports, _office(campaign)
    month, due = format_month(reminders.month), format_date(reminders.due)
    subject = f"Nhắc nộp báo cáo {month} (hạn {due}) — {item.unit.name}"
    body = "\n".join([
        f"Kính gửi: Cán bộ báo cáo {item.unit.name},",
        "",
        f"Theo phong trào «{campaign.name}», báo cáo {month} gửi {office} chậm nhất ngày {due}. "
        + _timing(reminders.days_left),
        f"Đến ngày {format_date(today or clock.today())}, {office} chưa nhận được báo cáo {month} của đơn vị "
        "trên Thi Đua DVC.",
        format_report_penalties(rules.late_bands, rules.missing_points),
        "",
        _submit_link(site_url, reminders.month),
        "",
        f"Nếu đơn vị đã gửi báo cáo bằng cách khác, xin liên hệ {office}. {AUTOMATIC}",
    ])
    return subject, body


def reminder_notice(campaign: Campaign, reminders, *, site_url: str = "") -> str:
    """One message naming every unit that has not reported, to paste into a group chat or read out."""
    rules = campaign.rubric.reports
    month, due = format_month(reminders.month), format_date(reminders.due)
    names = "\n".join(f"{n}. {item.unit.name}" for n, item in enumerate(reminders.units, 1))
    return "\n".join([
        f"Nhắc nộp báo cáo {month} (hạn {due}). {_timing(reminders.days_left)}",
        f"Các đơn vị chưa nộp ({len(reminders.units)}):",
        names,
        format_report_penalties(rules.late_bands, rules.missing_points),
        _submit_link(site_url, reminders.month),
    ])


def _smtp_reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "sai tài khoản hoặc mật khẩu thư (THIDUA_EMAIL_USER, THIDUA_EMAIL_PASSWORD)"
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"máy chủ trả lời {exc.smtp_code}: {text}"
    if isinstance(exc, ConnectionRefusedError):
        return "máy chủ từ chối kết nối"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "quá thời gian chờ"
    if isinstance(exc, socket.gaierror):
        return "không tìm thấy tên máy chủ"
    return exc.__class__.__name__


def reminders_send(*, campaign: Campaign, month: str, actor, site_url: str = "", today=None) -> ReminderOutcome:
    """Email each unit that has not sent ``month``'s report, one message to its reporters' addresses
    (linking to ``site_url``, else THIDUA_SITE_URL);
    audited with what was sent, what failed and which units have no address. Raises ReminderError
    when email is not set up or the mail server cannot be reached (then nothing was sent)."""

    if not settings.THIDUA_EMAIL_ENABLED:
        raise ReminderError("Chưa cấu hình máy chủ thư (THIDUA_EMAIL_HOST), nên chưa gửi được email nhắc.")
    if month not in campaign.rubric.reports.months:
        raise ReminderError(f"«{month}» không phải tháng báo cáo của phong trào.")
    site_url = site_url or settings.THIDUA_SITE_URL  # the command has no request to take it from
    reminders = reminder_list(campaign, month, today)
    targets = reminders.with_email
    if not targets:
        return ReminderOutcome((), (), reminders.without_email)
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        raise ReminderError(f"Không kết nối được máy chủ thư {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
                            f" ({_smtp_reason(exc)}); chưa gửi thư nào.") from exc
    sent, failed = [], []
    try:
        for index, item in enumerate(targets):
            subject, body = reminder_email(campaign, reminders, item, site_url=site_url, today=today)
            try:
                EmailMessage(subject, body, to=list(item.emails), connection=connection).send()
            except smtplib.SMTPRecipientsRefused:
                failed.append((item, "máy chủ thư từ chối địa chỉ " + ", ".join(item.emails)))
            except smtplib.SMTPResponseException as exc:  # this message refused; the next may pass
                failed.append((item, _smtp_reason(exc)))
            except (OSError, smtplib.SMTPException) as exc:  # the connection is gone: the rest are not sent
                failed.extend((rest, f"mất kết nối máy chủ thư ({_smtp_reason(exc)})") for rest in targets[index:])
                break
            else:
                sent.append(item)
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    outcome = ReminderOutcome(tuple(sent), tuple(failed), reminders.without_email)
    summary = f"Gửi email nhắc nộp báo cáo {format_month(month)} cho {len(sent)} đơn vị"
    if failed:
        summary += f"; {len(failed)} đơn vị không gửi được"
    audit("report.reminders_sent", actor=actor, campaign_code=campaign.code, summary=summary,
          after={"month": month, "sent": [i.unit.code for i in sent],
                 "failed": {i.unit.code: why for i, why in failed},
                 "without_email": [i.unit.code for i in reminders.without_email]})
    return outcome
