"""Writes on campaigns: create from a rubric, change settings, record tie-breaks, close months."""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from thidua.campaigns.models import (
    ONLINE_WORDING_MAX,
    Campaign,
    CampaignUnit,
    MonthSnapshot,
    TieBreak,
    default_online_wording,
)
from thidua.core import clock
from thidua.core.audit import audit
from thidua.core.audit_display import FIELDS
from thidua.documents.text import printable
from thidua.scoring import Rubric, RubricError, builtin_rubrics, load_rubric, reporting_months
from thidua.scoring.text import format_date, format_int, format_month


def campaign_touch(*, campaign: Campaign) -> None:
    """Invalidate cached scorecards: every write that can change a score calls this."""
    Campaign.objects.filter(pk=campaign.pk).update(data_version=F("data_version") + 1)
    campaign.refresh_from_db(fields=["data_version"])


@transaction.atomic
def campaign_rosters_keep(*, actor=None) -> list[Campaign]:
    """Before the registry changes: each campaign that is over and still reads the registry as it is keeps the
    units that took part in it (its competing units, as they are named, grouped and headed now: nothing has
    changed since it ended), so that a unit renamed, merged, retired or added later changes nothing of it.
    Audited; returns the campaigns that kept theirs."""
    today = clock.today()
    kept = []
    for campaign in Campaign.objects.select_for_update().filter(roster_kept_at__isnull=True).order_by("pk"):
        rubric = campaign.rubric
        if rubric.campaign.end >= today:
            continue
        from thidua.units.models import Unit

        units = list(Unit.objects.competing().filter(group__in=list(rubric.groups)))
        CampaignUnit.objects.bulk_create([
            CampaignUnit(campaign=campaign, unit=unit, **{f: getattr(unit, f) for f in CampaignUnit.KEPT})
            for unit in units])
        campaign.roster_kept_at = clock.now()
        campaign.save(update_fields=["roster_kept_at"])
        audit("campaign.roster_kept", actor=actor, obj=campaign, campaign_code=campaign.code,
              summary=f"Giữ danh sách {len(units)} đơn vị đã tham gia phong trào «{campaign.name}» (đã kết thúc "
                      f"ngày {format_date(rubric.campaign.end)}) trước khi danh mục đơn vị thay đổi",
              after={"units": {u.code: u.name for u in units}})
        kept.append(campaign)
    return kept


@transaction.atomic
def campaign_create(*, rubric: Rubric, actor=None, active: bool = True) -> Campaign:
    data = rubric.to_data()
    campaign, created = Campaign.objects.get_or_create(
        code=rubric.code, defaults={"name": rubric.name, "rubric_data": data, "active": active}
    )
    if created:
        audit("campaign.created", actor=actor, obj=campaign, campaign_code=campaign.code,
              summary=f"Tạo phong trào «{campaign.name}»", after=data)
    return campaign


# Where a rubric problem sits, in the words of the creation form (other paths are shown as written
# in the rubric file, for whoever wrote it).
_PROBLEM_PLACES = (
    (re.compile(r"^code$"), "Mã phong trào"),
    (re.compile(r"^name$"), "Tên phong trào"),
    (re.compile(r"^campaign\.(start|end)$"), "Thời gian thi đua"),
    (re.compile(r"^reports\.months\[(\d+)\]$"), "Tháng báo cáo thứ {n}"),
    (re.compile(r"^reports\.months$"), "Các tháng báo cáo"),
)


def rubric_problem_lines(exc: RubricError) -> list[str]:
    """One Vietnamese line per problem of an invalid rubric."""
    lines = []
    for path, message in exc.problems:
        place = path
        for pattern, words in _PROBLEM_PLACES:
            found = pattern.match(path)
            if found:
                place = words.format(n=int(found.group(1)) + 1) if "{n}" in words else words
                break
        lines.append(f"{place}: {message}." if place else f"{message[:1].upper()}{message[1:]}.")
    return lines


def rubric_file_data(raw: bytes) -> dict:
    """The data of an uploaded rubric file (UTF-8 JSON, with or without BOM; numbers read exactly, as
    load_rubric reads them); its checks come later, from campaign_create_from."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise ValidationError("Tệp tiêu chí phải là văn bản JSON mã UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Tệp tiêu chí không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).") from None
    except RecursionError:
        raise ValidationError("Tệp tiêu chí không phải JSON hợp lệ: các mảng, đối tượng lồng nhau quá sâu.") from None
    except ValueError:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        raise ValidationError("Tệp tiêu chí không phải JSON hợp lệ: có số dài quá "
                              f"{sys.get_int_max_str_digits()} chữ số.") from None
    if not isinstance(data, dict):
        raise ValidationError("Tệp tiêu chí phải là một đối tượng JSON ({…}).")
    if (found := _invisible_character(data)) is not None:
        place, character = found
        raise ValidationError(f"Tệp tiêu chí chứa ký tự điều khiển không in được (U+{ord(character):04X})"
                              f"{f' ở {place}' if place else ''}, thường do sao chép từ Word; hãy bỏ ký tự đó.")
    return data


def _invisible_character(data: Any) -> tuple[str, str] | None:
    """(where, which) of the first character no one sees (NUL…) in a rubric file's texts: PostgreSQL cannot
    store a NUL, and neither can the documents print one (the API refuses them the same way)."""
    pending: list[tuple[str, Any]] = [("", data)]  # a stack, not recursion: JSON may nest deep
    while pending:
        place, value = pending.pop()
        if isinstance(value, dict):
            texts = list(value)
            pending.extend(reversed([(f"{place}.{key}" if place else str(key), item) for key, item in value.items()]))
        elif isinstance(value, list):
            texts = []
            pending.extend(reversed([(f"{place}[{index}]", item) for index, item in enumerate(value)]))
        else:
            texts = [value] if isinstance(value, str) else []
        for text in texts:
            if printable(text) != text:
                return place, next(c for c in text if printable(c) != c)
    return None


@transaction.atomic
def campaign_create_from(*, base: Mapping[str, Any], actor, code: str = "", name: str = "", document: str = "",
                         start: date | None = None, end: date | None = None, months: Sequence[str] | None = None,
                         online_wording: str = "", activate: bool = True) -> Campaign:
    """A new campaign from a rubric (a built-in plan or an uploaded file), with the given fields in
    place of the rubric's own (a built-in plan's name and document are never kept under a new code);
    audited. Without ``months``, a new window takes every month whose report falls due inside it.
    ``online_wording``: its words for the online services it counts (blank: Plan 211's).
    ``activate`` makes it the campaign every page shows (the others stop)."""
    try:
        base_rubric = load_rubric(base)
    except RubricError as exc:
        raise ValidationError(["Tệp tiêu chí không hợp lệ:", *rubric_problem_lines(exc)]) from None
    data = copy.deepcopy(base_rubric.to_data())
    code = (code or "").strip().lower() or data["code"]
    data["code"] = code
    if base_rubric.code in builtin_rubrics() and code != base_rubric.code:
        # A new campaign on a built-in plan's rubric: that plan's name and document are not its own.
        if not (name or "").strip():
            raise ValidationError("Cần đặt tên cho phong trào mới (tên theo mẫu là của "
                                  f"{base_rubric.document or base_rubric.name}).")
        data["document"] = ""
    if (name or "").strip():
        data["name"] = " ".join(name.split())
    if (document or "").strip():
        data["document"] = " ".join(document.split())
    window_changed = False
    for key, value in (("start", start), ("end", end)):
        if value is not None and value.isoformat() != data["campaign"][key]:
            data["campaign"][key] = value.isoformat()
            window_changed = True
    if months:
        data["reports"]["months"] = list(months)
    elif window_changed:
        first, last = date.fromisoformat(data["campaign"]["start"]), date.fromisoformat(data["campaign"]["end"])
        data["reports"]["months"] = reporting_months(base_rubric.reports, first, last) if first <= last else []
        if first <= last and not data["reports"]["months"]:
            raise ValidationError(f"Không tháng nào có hạn báo cáo (ngày {base_rubric.reports.deadline_day}) trong "
                                  "thời gian thi đua; hãy kéo dài thời gian hoặc ghi các tháng báo cáo.")
    try:
        rubric = load_rubric(data)
    except RubricError as exc:
        raise ValidationError(rubric_problem_lines(exc)) from None
    if len(rubric.code) > Campaign._meta.get_field("code").max_length:
        raise ValidationError("Mã phong trào dài tối đa 64 ký tự.")
    taken = f"Đã có phong trào mang mã «{rubric.code}»; hãy đặt mã khác."
    if Campaign.objects.filter(code=rubric.code).exists():
        raise ValidationError(taken)
    wording = " ".join((online_wording or "").split()) or default_online_wording(rubric.campaign.start)
    if len(wording) > ONLINE_WORDING_MAX:
        raise ValidationError(f"Cách gọi dịch vụ công trực tuyến dài tối đa {ONLINE_WORDING_MAX} ký tự "
                              f"(hiện có {len(wording)} ký tự).")
    data = rubric.to_data()
    try:
        with transaction.atomic():  # a savepoint: the same campaign created at once (a double click) is refused
            campaign = Campaign.objects.create(code=rubric.code, name=rubric.name[:300], rubric_data=data,
                                               online_wording=wording, active=False)
    except IntegrityError:  # PostgreSQL: the other's uncommitted campaign was not seen above
        raise ValidationError(taken) from None
    audit("campaign.created", actor=actor, obj=campaign, campaign_code=campaign.code,
          summary=f"Tạo phong trào «{campaign.name}» (mã {campaign.code}), hồ sơ {wording}",
          after={**data, "online_wording": wording})
    if activate:
        campaign = campaign_activate(campaign=campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_activate(*, campaign: Campaign, actor) -> Campaign:
    """Make ``campaign`` the one every page shows; the campaign shown until now stops (its data stays)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    others = Campaign.objects.select_for_update().filter(active=True).exclude(pk=campaign.pk)
    stopped = list(others.values_list("code", flat=True))
    if campaign.active and not stopped:
        return campaign
    others.update(active=False)
    campaign.active = True
    campaign.save(update_fields=["active"])
    audit("campaign.activated", actor=actor, obj=campaign, campaign_code=campaign.code,
          summary=f"Áp dụng phong trào «{campaign.name}»"
          + (f"; ngừng áp dụng {', '.join(stopped)}" if stopped else ""),
          before={"active": stopped}, after={"active": [campaign.code]})
    return campaign


@transaction.atomic
def campaign_settings_check(*, campaign: Campaign, code: str, shown: str) -> Campaign:
    """Refuse a settings page opened before the campaign applied changed (``code``: the one it showed) or before
    another change to its settings (``shown``: selectors.settings_shown of the page), rather than save it over that
    change unseen. Locks the campaign's row: inside the settings' own transaction, two saves are checked one after
    the other. Returns the campaign, locked."""
    from thidua.campaigns.selectors import settings_shown
    from thidua.core.models import AuditEvent

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if code != campaign.code:
        raise SettingsMovedOn(f"Phong trào đang áp dụng đã đổi thành «{campaign.name}» sau khi bạn mở trang này, "
                              "nên cấu hình vừa gửi chưa được lưu (nó là của phong trào khác). Hãy xem cấu hình "
                              "dưới đây rồi điều chỉnh lại nếu cần.", switched=True)
    if shown != settings_shown(campaign):
        change = (AuditEvent.objects.filter(campaign_code=campaign.code, action__in=[
            "campaign.settings_changed", "campaign.options_changed"]).select_related("actor").first())
        by = ""
        if change is not None:
            at = timezone.localtime(change.at)
            by = f" ({change.actor.display_name if change.actor else 'hệ thống'} lúc {at:%H:%M} ngày " \
                 f"{format_date(at.date())})"
        raise SettingsMovedOn(f"Cấu hình phong trào đã được điều chỉnh{by} sau khi bạn mở trang này, nên cấu hình "
                              "vừa gửi chưa được lưu. Các ô dưới đây vẫn giữ những gì bạn nhập; hãy so với cấu hình "
                              "hiện tại (mở lại trang trong thẻ khác) rồi gửi lại nếu vẫn muốn lưu.")
    return campaign


class SettingsMovedOn(ValidationError):
    """The settings page was opened before the campaign applied or its settings changed: nothing saved."""

    def __init__(self, message: str, *, switched: bool = False):
        super().__init__(message)
        self.switched = switched


@transaction.atomic
def campaign_update_rubric(*, campaign: Campaign, actor, data: dict[str, Any], reason: str = "") -> Campaign:
    """Replace the rubric data after validating it; scores are recomputed from the new rubric."""
    try:
        rubric = load_rubric(data)
    except RubricError as exc:  # each problem keeps its path, for a form to show it at its field
        raise ValidationError([ValidationError(f"Cấu hình tiêu chí không hợp lệ: {path}: {message}" if path
                                               else f"Cấu hình tiêu chí không hợp lệ: {message}",
                                               code="rubric", params={"path": path, "problem": message})
                               for path, message in exc.problems]) from exc
    if rubric.code != campaign.code:
        raise ValidationError("Không được đổi mã phong trào khi điều chỉnh tiêu chí.")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _refuse_dropping_months_in_use(campaign, rubric)
    before = campaign.rubric_data
    after = rubric.to_data()
    if before == after:
        return campaign
    campaign.rubric_data = after
    campaign.name = rubric.name
    campaign.save(update_fields=["rubric_json", "name"])
    campaign_touch(campaign=campaign)
    parts = ", ".join(_rubric_part(key) for key in dict.fromkeys([*after, *before])
                      if before.get(key) != after.get(key))
    audit("campaign.settings_changed", actor=actor, obj=campaign, campaign_code=campaign.code,
          summary=f"Điều chỉnh cấu hình phong trào ({parts}){': ' + reason if reason else ''}",
          before=before, after=after)
    return campaign


def _rubric_part(key: str) -> str:
    """A part of the rubric as the audit log names it: "reports" -> "báo cáo"."""
    label = FIELDS.get(key, key).removesuffix(" (%)")
    return label[:1].lower() + label[1:]


def _refuse_dropping_months_in_use(campaign: Campaign, rubric: Rubric) -> None:
    """A reporting month that already holds reports, a closed result or an award stays a reporting month:
    dropping it would orphan them (and every page scoring the campaign would fail on them)."""
    dropped = [m for m in campaign.rubric.reports.months if m not in set(rubric.reports.months)]
    problems = []
    for month in dropped:
        held = []
        if reports := campaign.reports.filter(month=month).count():
            held.append(f"{format_int(reports)} báo cáo")
        if campaign.snapshots.filter(month=month).exists():
            held.append("kết quả tháng đã chốt")
        if campaign.monthly_awards.filter(month=month).exists():
            held.append("quyết định khen thưởng tháng")
        if held:
            problem = (f"không bỏ được {format_month(month)} khỏi các tháng báo cáo vì tháng này đã có "
                       f"{', '.join(held)}")
            problems.append(ValidationError(f"Cấu hình tiêu chí không hợp lệ: reports.months: {problem}",
                                            code="rubric", params={"path": "reports.months", "problem": problem}))
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def campaign_update_options(*, campaign: Campaign, actor, score_source: str, tolerance_percent,
                            online_wording: str | None = None) -> Campaign:
    """The campaign's settings outside its rubric: the figures it scores, the tolerance of reported vs
    portal figures and its words for the online services (None: unchanged); audited when they change."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)

    def state() -> dict:
        # Quantized: SQLite gives back Decimal("5"), the form Decimal("5.00"); both are the same setting.
        return {"score_source": campaign.score_source,
                "tolerance_percent": str(Decimal(campaign.tolerance_percent).quantize(Decimal("0.01"))),
                "online_wording": campaign.online_wording}

    before = state()
    campaign.score_source = score_source
    campaign.tolerance_percent = tolerance_percent
    if online_wording is not None:
        campaign.online_wording = " ".join(online_wording.split())
    campaign.full_clean(exclude=["rubric_json"])
    after = state()
    changed = [key for key in after if before[key] != after[key]]
    if changed:
        campaign.save(update_fields=changed)
        campaign_touch(campaign=campaign)
        audit("campaign.options_changed", actor=actor, obj=campaign, campaign_code=campaign.code,
              summary="Điều chỉnh " + ", ".join(_OPTION_WORDS[key] for key in changed),
              before=before, after=after)
    return campaign


_OPTION_WORDS = {"score_source": "nguồn số liệu chấm điểm", "tolerance_percent": "ngưỡng chênh lệch",
                 "online_wording": "cách gọi dịch vụ công trực tuyến"}


@transaction.atomic
def tie_break_record(*, campaign: Campaign, actor, group: str, codes: list[str], total: int, reason: str) -> TieBreak:
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError("Cần ghi rõ lý do của Hội đồng (ít nhất 10 ký tự).")
    if len(codes) < 2 or len(set(codes)) != len(codes):
        raise ValidationError("Thứ tự phân định phải gồm các đơn vị bằng điểm, mỗi đơn vị một lần.")
    from thidua.reports.selectors import campaign_result

    # One order recorded at a time: a second reviewer's order waits for the first, then supersedes it
    # (otherwise neither sees the other's uncommitted order and both stay in force).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    # Checked here, not only in the view: a council order must name exactly the units tied now.
    tied = sorted(c.code for c in campaign_result(campaign).scorecards
                  if c.group == group and c.total == total and c.eligible)
    if sorted(codes) != tied:
        raise ValidationError("Thứ tự phải gồm đúng các đơn vị đang bằng điểm: " + ", ".join(tied) + "."
                              if len(tied) > 1 else f"Không có các đơn vị bằng {total} điểm để phân định.")
    TieBreak.objects.filter(campaign=campaign, group=group, total=total, superseded=False).update(superseded=True)
    tie_break = TieBreak.objects.create(
        campaign=campaign, group=group, codes=codes, total=total, reason=reason, decided_by=actor
    )
    campaign_touch(campaign=campaign)
    audit("tie_break.recorded", actor=actor, obj=tie_break, campaign_code=campaign.code,
          summary=f"Phân định thứ hạng các đơn vị cùng {total} điểm: {', '.join(codes)}",
          after={"group": group, "codes": codes, "total": total, "reason": reason})
    return tie_break


@transaction.atomic
def month_close(*, campaign: Campaign, actor, month: str) -> MonthSnapshot:
    from thidua.reports.selectors import campaign_result, month_as_of

    if month not in campaign.rubric.reports.months:
        raise ValidationError("Tháng này không thuộc kỳ báo cáo của phong trào.")
    # Two reviewers closing the month at once: the second waits for the first, then finds the month closed
    # (otherwise it missed the first's uncommitted snapshot and failed on the unique constraint, error 500).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if MonthSnapshot.objects.filter(campaign=campaign, month=month).exists():
        raise ValidationError("Tháng này đã được chốt.")
    as_of = month_as_of(campaign, month)
    if clock.today() <= as_of:
        # A standing frozen before the month is over would count reports still to come as missing.
        raise ValidationError(f"Tháng chưa kết thúc; chỉ chốt được từ ngày {format_date(as_of + timedelta(days=1))}.")
    result = campaign_result(campaign, as_of=as_of).to_contract()
    snapshot = MonthSnapshot.objects.create(
        campaign=campaign, month=month, as_of=as_of, result=result, closed_by=actor
    )
    audit("month.closed", actor=actor, obj=snapshot, campaign_code=campaign.code,
          summary=f"Chốt kết quả {month}", after={"month": month, "as_of": as_of.isoformat()})
    return snapshot
