"""Writes on monthly reports: submit and correct (new versions), verify, return, mark untruthful."""

from __future__ import annotations

import logging
import mimetypes
import re
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import is_applied
from thidua.campaigns.services import campaign_touch
from thidua.core import clock
from thidua.core.audit import audit
from thidua.core.files import disk_reason
from thidua.reports.emails import notify_unit, office_name, submit_link
from thidua.reports.models import Attachment, Report, ReportVersion
from thidua.reports.photos import HEIC_EXTENSIONS, heic_as_jpeg, is_heic
from thidua.scoring.text import format_date, format_int, format_month, format_size_over
from thidua.units.models import Unit

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
HEIC_TYPE = "image/heic"  # checked, then stored as JPG
MAX_ATTACHMENTS = 10
# A report's cumulative list of procedures: how many names, how long each (the web form and the API alike)
MAX_PROCEDURES = 500
MAX_PROCEDURE_NAME = 300
# What each upload accepts, as the form's labels name it: a plan is a document or a scan of one.
EVIDENCE_TYPES = tuple(ALLOWED_EVIDENCE_TYPES)
PLAN_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")


# The counts a unit states each month, as ReportData and ReportVersion name them
FIGURES = ("new_accounts", "dossiers_online", "resolved_on_time", "due", "dossiers_in_person")


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
        for name in FIGURES:
            if getattr(self, name) < 0:
                errors[name] = "Số liệu không được âm."
        if self.resolved_on_time > self.due:
            errors["resolved_on_time"] = (
                f"Số hồ sơ giải quyết đúng hạn ({self.resolved_on_time}) không được lớn hơn "
                f"số hồ sơ đến hạn ({self.due})."
            )
        names = [p.strip() for p in self.procedures]
        too_long = next((n for n in names if len(n) > MAX_PROCEDURE_NAME), None)
        if len(names) > MAX_PROCEDURES:
            errors["procedures"] = f"Danh sách thủ tục quá dài: tối đa {MAX_PROCEDURES} thủ tục (hiện có {len(names)})."
        elif too_long is not None:
            errors["procedures"] = (f"Tên thủ tục quá dài: tối đa {MAX_PROCEDURE_NAME} ký tự "
                                    f"(hiện có {len(too_long)}): «{too_long[:40]}…».")
        elif any(not n for n in names):
            errors["procedures"] = "Tên thủ tục không được để trống."
        elif len({n.casefold() for n in names}) != len(names):
            errors["procedures"] = "Danh sách thủ tục có tên bị trùng."
        return errors

    @classmethod
    def true_figures(cls, version, figures) -> ReportData:
        """A report's data with the five figures a re-examination found (``figures``: a mapping of FIGURES), its
        plan, procedures and texts as ``version`` states them: what an untruthful finding records as a version."""
        return cls(**{name: figures[name] for name in FIGURES}, has_plan=version.has_plan,
                   procedures=tuple(version.procedures), initiatives=version.initiatives)

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


# Unicode's bidirectional formatting characters (LRM, RLM, embeddings, overrides, isolates): no file name needs one
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def validate_evidence(upload: UploadedFile, allowed: tuple[str, ...] = EVIDENCE_TYPES) -> str:
    """Return the checked content type, or raise a Vietnamese ValidationError (``allowed``: extensions).
    The file's name loses its bidirectional controls first: «hoa-don\u202efdp.jpg» would show as
    «hoa-dongpj.pdf», another type than it has, to whoever opens the report."""
    name = upload.name = _BIDI_CONTROLS.sub("", upload.name or "")
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    heic = ext in HEIC_EXTENSIONS and ".jpg" in allowed  # the iPhone camera's own format: kept as JPG
    if ext not in allowed and not heic:
        raise ValidationError(f"Tệp «{name}» không đúng định dạng cho phép ({_type_names(allowed)}).")
    limit = settings.THIDUA_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        size_text, limit_text = format_size_over(upload.size, limit)
        raise ValidationError(f"Tệp «{name}» quá lớn ({size_text}), vượt giới hạn {limit_text}.")
    if upload.size == 0:
        raise ValidationError(f"Tệp «{name}» rỗng (0 byte).")
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if heic:
        if not is_heic(head):
            raise ValidationError(f"Nội dung tệp «{name}» không khớp với phần mở rộng {ext}.")
        return HEIC_TYPE
    if not any(head.startswith(magic) for magic in _MAGIC[ext]) or not _office_part_present(upload, ext):
        raise ValidationError(f"Nội dung tệp «{name}» không khớp với phần mở rộng {ext}.")
    return ALLOWED_EVIDENCE_TYPES[ext] or mimetypes.guess_type(name)[0] or "application/octet-stream"


class CheckedFiles(NamedTuple):
    evidence: list[tuple[UploadedFile, str]]  # each file with its content type
    plan_file: UploadedFile | None


def check_uploads(evidence, plan_file) -> CheckedFiles:
    """Check a report's files: the evidence (with their content types) and the plan file, returned as they
    are to be stored: a HEIC photo as JPG (photos.heic_as_jpeg). Raises a ValidationError naming each bad
    file under its field, "evidence" or "plan_file"."""
    problems: dict[str, list[str]] = {}
    checked = []
    if len(evidence) > MAX_ATTACHMENTS:
        problems["evidence"] = [f"Tối đa {MAX_ATTACHMENTS} tệp minh chứng cho mỗi lần nộp."]
    else:
        for upload in evidence:
            try:
                checked.append(stored_file(upload))
            except ValidationError as exc:
                problems.setdefault("evidence", []).extend(exc.messages)
    if plan_file is not None:
        try:
            plan_file = stored_file(plan_file, PLAN_TYPES)[0]
        except ValidationError as exc:
            problems["plan_file"] = exc.messages
    if problems:
        raise ValidationError(problems)
    return CheckedFiles(checked, plan_file)


def stored_file(upload: UploadedFile, allowed: tuple[str, ...] = EVIDENCE_TYPES) -> tuple[UploadedFile, str]:
    """A checked file (validate_evidence) as it is to be stored, with its content type: a HEIC photo as JPG.
    Checked once per upload: the form's checks and the page shown again after an error (which names the files
    they took, views.common.chosen_files) share the outcome rather than decoding a photo twice."""
    done = getattr(upload, "_thidua_stored", None)
    if done is not None and done[0] == allowed:
        if isinstance(done[1], ValidationError):
            raise ValidationError(done[1].messages)
        return done[1]
    try:
        content_type = validate_evidence(upload, allowed)
        outcome = (heic_as_jpeg(upload), "image/jpeg") if content_type == HEIC_TYPE else (upload, content_type)
    except ValidationError as exc:
        upload._thidua_stored = (allowed, exc)
        raise
    upload._thidua_stored = (allowed, outcome)
    return outcome


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


def _first_day(month: str) -> date:
    """The first day of a reporting month ("YYYY-MM"): no report of the month exists before it."""
    return date(int(month[:4]), int(month[5:7]), 1)


def submission_refusal(campaign: Campaign, unit: Unit, month: str, report: Report | None, today: date, *,
                       applied: bool | None = None) -> str:
    """Why the unit cannot submit or correct its report for ``month`` today ("" when it can): the month
    has not begun; the unit joined the campaign later (it owes no report for the month); the campaign
    is over (only a returned report may still be corrected); or the report is verified. A campaign no longer
    applied (another one is) takes no report either, except the correction of a report the office returned
    before the switch: the unit must still be able to answer it. ``applied``: is_applied(campaign), when the
    caller asks for many months of one campaign."""
    returned = report is not None and report.status == Report.Status.RETURNED
    if not returned and not (is_applied(campaign) if applied is None else applied):
        return not_applied(campaign)
    if not unit.competes:
        return not_competing(unit)
    first_day = _first_day(month)
    end = campaign.rubric.campaign.end
    if today < first_day:
        return not_begun(month)
    if report is None and not unit.owes_report(month):
        return not_owed(unit, month)
    if report is not None and report.status == Report.Status.VERIFIED:
        return verified_refusal(month)
    if today > end and (report is None or report.status != Report.Status.RETURNED):
        return (f"Phong trào đã kết thúc ngày {format_date(end)}: không nộp, điều chỉnh báo cáo được nữa "
                "(chỉ còn điều chỉnh được báo cáo bị trả lại để bổ sung).")
    return ""


def not_applied(campaign: Campaign) -> str:
    """Why nothing can be sent for a campaign that is no longer applied (another one is)."""
    return (f"Phong trào «{campaign.name}» không còn áp dụng: không nộp, điều chỉnh báo cáo của phong trào này "
            "được nữa.")


def not_begun(month: str) -> str:
    """Why nothing can be sent (or entered for a unit) for a month that has not begun."""
    return f"Chưa đến {format_month(month)}: báo cáo tháng này nộp được từ ngày {format_date(_first_day(month))}."


def not_competing(unit: Unit) -> str:
    """Why a unit retired from the registry (merged into another) or taken out of the groups reports no more."""
    return (f"{unit.name} đã ngừng tham gia phong trào (đơn vị đã ngừng hoạt động, như khi sáp nhập vào đơn vị "
            "khác): không nộp, điều chỉnh báo cáo được nữa.")


def not_owed(unit: Unit, month: str) -> str:
    """Why a unit that joined the campaign after ``month`` has no report to make for it."""
    return (f"{unit.name} tham gia thi đua từ {format_month(unit.first_month)}: không phải báo cáo "
            f"{format_month(month)}.")


def verified_refusal(month: str) -> str:
    """Why a verified report cannot be corrected, and what to do instead."""
    return (f"Báo cáo {format_month(month)} đã được cán bộ thẩm định xác nhận nên không điều chỉnh được nữa; "
            "muốn điều chỉnh, đề nghị cán bộ thẩm định trả lại báo cáo.")


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
    based_on: int | None = None,
) -> Report:
    """First submission or a correction: always a new immutable version; lateness uses the first.

    ``based_on``: the version the form was opened on (0: none yet), from the web form. When the report has
    moved on since, the same submission again (a double tap, a request resent by the network) raises
    :class:`AlreadySaved` and writes nothing; another one (a second tab, a colleague's correction) raises
    :class:`ReportMovedOn`, so that nobody overwrites a version they have not seen."""
    if actor.is_reporter and actor.unit_id == unit.pk and not unit.competes:
        raise ValidationError(not_competing(unit))  # its own unit, retired: not someone else's
    if not actor.can_report_for(unit):
        raise PermissionDenied("Bạn chỉ được báo cáo cho đơn vị của mình.")
    return _save_version(campaign=campaign, unit=unit, month=month, actor=actor, data=data, evidence=evidence,
                         plan_file=plan_file, based_on=based_on)


class AlreadySaved(Exception):
    """This very submission was saved already (a double tap): nothing written."""

    def __init__(self, report: Report):
        super().__init__(report)
        self.report = report


def version_words(version: ReportVersion) -> str:
    """«phiên bản 2 (nộp lúc 09:00 ngày 24/06/2021, Võ Thị Thu)»: a version as a refusal names the one it found."""
    at = timezone.localtime(version.submitted_at)
    return (f"phiên bản {version.number} (nộp lúc {at:%H:%M} ngày {format_date(at.date())}, "
            f"{version.submitted_by.display_name})")


class ReportMovedOn(ValidationError):
    """The report has a version the submitter had not seen when the form was opened: nothing written."""

    def __init__(self, report: Report):
        version = report.current
        super().__init__(
            f"Báo cáo {format_month(report.month)} đã có {version_words(version)} sau khi bạn mở trang này, "
            "nên số liệu vừa gửi chưa được ghi. Hãy xem lại phiên bản đó; số liệu bạn nhập vẫn còn dưới đây, gửi "
            "lại nếu vẫn muốn điều chỉnh.")
        self.report = report
        self.number = version.number


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
    _check_month(campaign, month)
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
    elif received_on > campaign.rubric.campaign.end:
        problems["received_on"] = (f"Ngày nhận {format_date(received_on)} ở sau ngày kết thúc phong trào "
                                   f"({format_date(campaign.rubric.campaign.end)}): báo cáo nhận sau đó không "
                                   "được tính.")
    elif received_on < _first_day(month):
        problems["received_on"] = (f"Ngày nhận {format_date(received_on)} ở trước {format_month(month)}: báo cáo "
                                   "tháng chỉ có từ ngày đầu tháng.")
    if problems:
        raise ValidationError(problems)
    received_at = timezone.make_aware(datetime.combine(received_on, time(12, 0)))
    return _save_version(campaign=campaign, unit=unit, month=month, actor=actor, data=data, evidence=evidence,
                         plan_file=plan_file, received=(received_at, reference))


def already_reported(unit: Unit, month: str) -> str:
    """Why a report cannot be entered for the unit (report_enter_received): it has one for the month."""
    return (f"{unit.name} đã có báo cáo {format_month(month)}; muốn điều chỉnh, hãy trả lại báo cáo để đơn vị "
            "điều chỉnh.")


def _store_files(version: ReportVersion, plan_file: UploadedFile | None, checked) -> None:
    """Store the version's plan file and evidence. A file the server cannot write (the disk full, the media
    folder read-only) is a ValidationError naming it: the report is not written (the transaction rolls
    back), the form comes back with its figures, and the files this version already stored are removed."""
    stored = []
    current = plan_file
    try:
        if plan_file is not None:
            version.plan_file.save(plan_file.name, plan_file, save=True)
            stored.append(version.plan_file)
        for upload, content_type in checked:
            current = upload
            attachment = Attachment(version=version, original_name=upload.name[:255], size=upload.size,
                                    content_type=content_type)
            attachment.file.save(upload.name, upload, save=True)
            stored.append(attachment.file)
    except OSError as exc:
        logger.error("Không lưu được tệp «%s» của báo cáo vào %s: %s", current.name, settings.MEDIA_ROOT, exc)
        for file in stored:
            try:
                file.storage.delete(file.name)
            except OSError:
                pass
        raise ValidationError(f"Báo cáo chưa được ghi: máy chủ không lưu được tệp «{current.name}» vào thư mục tệp "
                              f"đính kèm{disk_reason(exc)}. Hãy báo quản trị hệ thống, rồi gửi lại.") from exc


def _save_version(*, campaign: Campaign, unit: Unit, month: str, actor, data: ReportData, evidence, plan_file,
                  received: tuple[datetime, str] | None = None, based_on: int | None = None) -> Report:
    """Write a report version (a first submission or a correction) for report_submit and, with
    ``received`` (when the written report reached the office, its number), for report_enter_received."""
    _check_month(campaign, month)
    problems = data.problems()
    if problems:
        raise ValidationError(problems)
    checked, plan_file = check_uploads(evidence, plan_file)
    now = clock.now()
    write = dict(campaign=campaign, unit=unit, month=month, actor=actor, data=data, checked=checked,
                 plan_file=plan_file, received=received, based_on=based_on, now=now)
    try:
        return _write_version(**write)
    except _CreatedMeanwhile:
        # Another first report of the month (this form sent twice at once, a colleague's, the reviewer's Nhập
        # thay) was committed while this one waited on the unique constraint: read again, it is a report this
        # sender has not seen, refused or corrected as any other.
        return _write_version(**write)


class _CreatedMeanwhile(Exception):
    """The month's first report was created by another request after this one looked for it."""


def _write_version(*, campaign: Campaign, unit: Unit, month: str, actor, data: ReportData, checked, plan_file,
                   received: tuple[datetime, str] | None, based_on: int | None, now: datetime) -> Report:
    # of=("self",): the report's default ordering joins its unit, whose row would be locked too; an award or a
    # nomination for the unit then waits at its commit for this correction, which waits for the campaign
    # row (campaign_touch) that award holds: a deadlock on PostgreSQL.
    report = (
        Report.objects.select_for_update(of=("self",)).filter(campaign=campaign, unit=unit, month=month).first()
    )
    before = None
    note = data.note.strip()
    if based_on is not None and based_on != (report.current.number if report else 0):
        if report is None:  # a version no report has: a form made up, not one this site served
            raise ValidationError("Trang báo cáo này không khớp với báo cáo của đơn vị; hãy mở lại trang rồi gửi.")
        if _same_submission(report.current, actor, data, note, checked, plan_file):
            raise AlreadySaved(report)
        raise ReportMovedOn(report)
    if received is not None:
        if report is not None:
            raise ValidationError(already_reported(unit, month))
        if not unit.owes_report(month):
            raise ValidationError(not_owed(unit, month))
        received_at, reference = received
        source = (f"Báo cáo bằng văn bản số {reference}, {office_name(campaign)} nhận ngày "
                  f"{format_date(timezone.localdate(received_at))}; {actor.display_name} nhập thay đơn vị.")
        note = f"{source} {note}".strip()
    elif refusal := submission_refusal(campaign, unit, month, report, clock.local_date(now)):
        raise ValidationError(refusal)
    if report is None:
        try:
            with transaction.atomic():  # a savepoint: the transaction goes on if another request created it
                report = Report.objects.create(campaign=campaign, unit=unit, month=month,
                                               first_submitted_at=received[0] if received else now)
        except IntegrityError as exc:  # PostgreSQL: neither saw the other's uncommitted report
            raise _CreatedMeanwhile from exc
        number = 1
        if received:
            action = "report.entered_for_unit"
            summary = (f"Nhập thay báo cáo {format_month(month)} theo văn bản số {received[1]}, nhận ngày "
                       f"{format_date(timezone.localdate(received[0]))}")
        else:
            action, summary = "report.submitted", f"Nộp báo cáo {format_month(month)}"
    else:
        if _unchanged(report.current, data, note, checked, plan_file):
            raise ValidationError(UNCHANGED_CORRECTION)
        before = _version_dict(report.current)
        number = report.current.number + 1
        action, summary = "report.corrected", f"Điều chỉnh báo cáo {format_month(month)} (phiên bản {number})"
    version = ReportVersion.objects.create(
        report=report, number=number, submitted_at=now, submitted_by=actor, note=note, **_stated(data)
    )
    _store_files(version, plan_file, checked)
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


UNCHANGED_CORRECTION = ("Bản điều chỉnh chưa thay đổi gì so với bản đã nộp: hãy sửa số liệu, bổ sung minh chứng "
                        "hoặc ghi lý do điều chỉnh.")


def _stated(data: ReportData) -> dict:
    """A submission's STATED_FIELDS as its version stores them."""
    return {
        "new_accounts": data.new_accounts, "dossiers_online": data.dossiers_online,
        "resolved_on_time": data.resolved_on_time, "due": data.due, "dossiers_in_person": data.dossiers_in_person,
        "has_plan": data.has_plan, "procedures": [p.strip() for p in data.procedures],
        "initiatives": data.initiatives.strip(),
    }


def _unchanged(current: ReportVersion, data: ReportData, note: str, evidence, plan_file) -> bool:
    """A correction that would be a copy of the current version: no figure, list or text changed, no file
    added, no note (or the same note again)."""
    if evidence or plan_file is not None or (note and note != current.note):
        return False
    return _stated(data) == current.stated()


def _same_submission(current: ReportVersion, actor, data: ReportData, note: str, evidence, plan_file) -> bool:
    """The current version is this submission already, by the same person: the same figures, lists, texts and
    files (by name)."""
    if current.submitted_by_id != actor.pk or note != current.note or _stated(data) != current.stated():
        return False
    names = sorted(a.original_name for a in current.attachments.all())
    return names == sorted(upload.name[:255] for upload, _ in evidence) and bool(plan_file) == bool(current.plan_file)


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


class Shown(NamedTuple):
    """What the reviewer's page showed of a report when it was opened: its current version and its status. The
    review forms carry it, so that a decision is never applied to a version, or over a review, not seen."""

    version: int
    status: str


class ReviewMovedOn(ValidationError):
    """The report changed after the reviewer's page was opened (a correction, a colleague's review): nothing
    written."""


_REVIEWED = {Report.Status.VERIFIED: "xác nhận", Report.Status.RETURNED: "trả lại"}


def _check_shown(report: Report, shown: Shown | None, doing: str, *, status: bool = True) -> None:
    """Refuse (ReviewMovedOn) a review ``doing`` («xác nhận báo cáo», …) sent from a page that showed another
    version of ``report``, or (``status``) another status, than it has now; ``shown`` None: not checked (the API
    without ?version=, the demo)."""
    if shown is None:
        return
    month, current = format_month(report.month), report.current
    if current is not None and shown.version != current.number:
        raise ReviewMovedOn(f"Báo cáo {month} đã có {version_words(current)} sau khi bạn mở trang này, nên chưa "
                            f"{doing}. Hãy xem phiên bản đó rồi thẩm định lại.")
    done = _REVIEWED.get(report.status)
    if status and shown.status != report.status and done and report.reviewed_at is not None:
        at = timezone.localtime(report.reviewed_at)
        who = report.reviewed_by.display_name if report.reviewed_by else "cán bộ thẩm định khác"
        raise ReviewMovedOn(
            f"Báo cáo {month} đã được {who} {done} lúc {at:%H:%M} ngày "
            f"{format_date(at.date())} sau khi bạn mở trang này, nên chưa {doing}. Hãy xem lại tình trạng "
            "hiện tại của báo cáo.")


@transaction.atomic
def report_verify(*, report: Report, actor, shown: Shown | None = None) -> Report:
    """``shown``: what the reviewer's page showed (refused, ReviewMovedOn, when the report has changed since)."""
    _require_reviewer(actor)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == Report.Status.VERIFIED:
        raise ValidationError("Báo cáo này đã được xác nhận.")
    _check_shown(report, shown, "xác nhận báo cáo")
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
def report_return(*, report: Report, actor, reason: str, site_url: str = "", shown: Shown | None = None) -> Report:
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Cần ghi rõ lý do trả lại báo cáo."})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not is_applied(report.campaign):  # the unit could not correct it: a phúc tra's finding says what was wrong
        raise ValidationError(f"{not_applied(report.campaign)} Không trả lại được báo cáo; nếu số liệu không đúng, "
                              "hãy kết luận báo cáo không trung thực (kèm số liệu đúng nếu có).")
    _check_shown(report, shown, "trả lại báo cáo")
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
    office = office_name(report.campaign)
    report.notice = notify_unit(report.unit, f"{office} trả lại báo cáo {month} của {report.unit.name} để bổ sung", [
        f"{office} đã trả lại báo cáo {month} của đơn vị để bổ sung, điều chỉnh.",
        f"Lý do: {reason}",
        f"Thời điểm nộp lần đầu vẫn được dùng để tính đúng hạn; đề nghị đơn vị điều chỉnh sớm để {office} thẩm định.",
        "",
        submit_link(site_url or settings.THIDUA_SITE_URL, report.month, "Điều chỉnh báo cáo"),
    ])
    return report


@transaction.atomic
def report_mark_untruthful(
    *, report: Report, actor, reason: str, corrected: ReportData | None = None, site_url: str = "",
    shown: Shown | None = None,
) -> Report:
    """A finding of untruthfulness (the rubric's deduction, −2 in Plan 211), possibly long after (phúc tra);
    ``corrected``, the true figures found, become a version (RULES.md: «the figures are corrected as a new
    version»)."""
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Cần ghi rõ căn cứ kết luận báo cáo không trung thực (ít nhất 10 ký tự)."})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.untruthful:
        raise ValidationError("Báo cáo này đã bị kết luận không trung thực.")
    # a finding is on the figures the page showed, whatever was decided of them since
    _check_shown(report, shown, "kết luận báo cáo không trung thực", status=False)
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
        if _stated(corrected) == report.current.stated():
            raise ValidationError({"new_accounts": "Số liệu đúng giống hệt số liệu đơn vị đã báo cáo; nếu không cần "
                                                   "sửa số liệu, hãy bỏ chọn «Ghi số liệu đúng»."})
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
    month, points = format_month(report.month), -report.campaign.rubric.reports.untruthful_points
    audit("report.marked_untruthful", actor=actor, obj=report, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"{report.unit.name}: kết luận báo cáo {month} không trung thực (trừ {format_int(points)} điểm)"
                  + (f", ghi số liệu đúng (phiên bản {report.current.number})" if corrected is not None else "")
                  + f" — {reason}",
          before=before, after=_review_state(report))
    path = reverse("report-detail", args=[report.pk])
    site_url = site_url or settings.THIDUA_SITE_URL
    report.notice = notify_unit(report.unit, f"Báo cáo {month} của {report.unit.name} bị kết luận không trung thực", [
        f"{office_name(report.campaign)} kết luận báo cáo {month} của đơn vị không trung thực; "
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


@transaction.atomic
def report_untruthful_withdraw(*, report: Report, actor, reason: str, site_url: str = "") -> Report:
    """Withdraw an untruthful finding made in error or overturned (the unit's explanation accepted on
    re-examination): the deduction goes. Figures the finding corrected are the unit's own again, as a new
    version (unless the unit has corrected the report since: its correction stands). The finding and its
    withdrawal stay in the report's history (the audit log), and a monthly award the finding flagged is
    cleared (the awards app's signal handler)."""
    _require_reviewer(actor)
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ValidationError({"reason": "Cần ghi rõ lý do hủy kết luận không trung thực (ít nhất 10 ký tự)."})
    report = Report.objects.select_for_update(of=("self",)).select_related("current").get(pk=report.pk)
    if not report.untruthful:
        raise ValidationError("Báo cáo này không bị kết luận không trung thực.")
    before = _review_state(report)
    finding, found_at = report.untruthful_reason, report.untruthful_at
    now = clock.now()
    month = format_month(report.month)
    current, fields = report.current, ["untruthful", "untruthful_reason", "untruthful_at", "untruthful_by"]
    restored = None
    if current is not None and current.created_by_review and current.submitted_at == found_at and current.number > 1:
        stated = report.versions.get(number=current.number - 1)  # what the unit stated before the finding
        restored = ReportVersion.objects.create(
            report=report, number=current.number + 1, submitted_at=now, submitted_by=actor, **stated.stated(),
            note=f"Số liệu đơn vị đã báo cáo (phiên bản {stated.number}), khôi phục khi hủy kết luận không trung "
                 f"thực: {reason}",
            created_by_review=True,
        )
        report.current = restored
        fields.append("current")
    report.untruthful, report.untruthful_reason, report.untruthful_at, report.untruthful_by = False, "", None, None
    report.save(update_fields=fields)
    campaign_touch(campaign=report.campaign)
    points = -report.campaign.rubric.reports.untruthful_points
    audit("report.untruthful_withdrawn", actor=actor, obj=report, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"{report.unit.name}: hủy kết luận báo cáo {month} không trung thực (không còn trừ "
                  f"{format_int(points)} điểm)"
                  + (f", khôi phục số liệu đơn vị đã báo cáo (phiên bản {restored.number})" if restored else "")
                  + f" — {reason}",
          before={**before, "untruthful_at": found_at}, after={**_review_state(report), "reason": reason})
    path = reverse("report-detail", args=[report.pk])
    site_url = site_url or settings.THIDUA_SITE_URL
    report.notice = notify_unit(report.unit, f"Hủy kết luận báo cáo {month} của {report.unit.name} không trung thực", [
        f"{office_name(report.campaign)} hủy kết luận báo cáo {month} của đơn vị không trung thực "
        f"(kết luận ngày {format_date(timezone.localdate(found_at))}: {finding}); đơn vị không còn bị trừ "
        f"{format_int(points)} điểm.",
        f"Lý do hủy: {reason}",
        *([f"Số liệu của báo cáo trở lại như đơn vị đã báo cáo (phiên bản {restored.number})."] if restored else []),
        "",
        f"Xem báo cáo tại: {site_url.rstrip('/')}{path}" if site_url
        else "Xem báo cáo trên Thi Đua DVC, mục «Báo cáo tháng».",
    ])
    from thidua.reports.signals import report_untruthful_withdrawn

    report_untruthful_withdrawn.send(sender=Report, report=report, actor=actor, reason=reason)
    return report
