"""Writes on awards: monthly decisions and flags, the year-end list, nominations, the dossier,
the district officials and the review meeting. Every write is audited."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from thidua.awards import selectors
from thidua.awards.dossier import district_info
from thidua.awards.models import (
    AwardMeeting,
    DistrictOfficials,
    DossierItem,
    MonthlyAward,
    Nomination,
    YearEndDecision,
    YearEndProposal,
    finding_without_prefix,
)
from thidua.campaigns.models import Campaign
from thidua.core import clock
from thidua.core.audit import audit
from thidua.documents import ISSUER_KINDS
from thidua.reports.selectors import unit_as_in_campaign
from thidua.scoring.rubric import PlacesAward
from thidua.scoring.text import format_date, format_int, format_month
from thidua.units.models import Unit

MIN_REASON = 10
_DOCUMENT_NUMBER = re.compile(r"\d{1,6}/[^\W_]+(?:-[^\W_]+)*")


def clean_document_number(raw: str) -> str:
    """A document's number and symbol as the clerk wrote it ("125/QĐ-UBND"), or a ValidationError."""
    number = unicodedata.normalize("NFC", re.sub(r"\s*/\s*", "/", (raw or "").strip()))
    if not _DOCUMENT_NUMBER.fullmatch(number) or len(number) > 50:
        raise ValidationError(f"Số, ký hiệu văn bản «{(raw or '').strip()[:50]}» không đúng dạng "
                              "số/ký hiệu, ví dụ 125/QĐ-UBND.")
    return number


def _require_reviewer(actor) -> None:
    if not getattr(actor, "is_reviewer", False):
        raise PermissionDenied("Chỉ cán bộ thẩm định được thực hiện thao tác này.")


def _award_state(award: MonthlyAward | None) -> dict | None:
    if award is None:
        return None
    return {"unit": award.unit.code, "ceremony_date": award.ceremony_date.isoformat(),
            "override_reason": award.override_reason, "total": award.total, "prize_vnd": award.prize_vnd,
            "flagged": award.flagged}


# ----- monthly -----------------------------------------------------------------------------------

def award_shown(award: MonthlyAward | None) -> str:
    """What a month's decision form showed of its award in force ("" none), carried by the form: a decision sent
    from a page opened before a colleague's decided, adjusted or revoked it is refused (AwardMovedOn)."""
    if award is None:
        return ""
    state = json.dumps(_award_state(award), sort_keys=True, ensure_ascii=False)
    return f"{award.pk}-{hashlib.sha256(state.encode()).hexdigest()[:16]}"


def award_decided(award: MonthlyAward) -> str:
    """Which decision a month's «Ghi số Quyết định» form was opened on: the award and its unit. A number sent from a
    page opened before the month was decided again (for another unit) is refused: it is the earlier decision's."""
    return f"{award.pk}-{award.unit_id}"


class AwardMovedOn(ValidationError):
    """The month's award changed after the decision form was opened: nothing written. ``shown``: the award as it is
    now, for the form shown again."""

    def __init__(self, month: str, award: MonthlyAward | None, *, message: str = ""):
        super().__init__(message or self._what_changed(month, award))
        self.shown = award_shown(award)

    @staticmethod
    def _what_changed(month: str, award: MonthlyAward | None) -> str:
        label = format_month(month)
        if award is None:
            return (f"Khen thưởng {label} đã bị thu hồi sau khi bạn mở trang này, nên lựa chọn của bạn chưa được "
                    "ghi. Hãy xem lại trang rồi quyết định khen thưởng lại.")
        at = timezone.localtime(award.decided_at)
        return (f"Khen thưởng {label} đã được {award.decided_by.display_name} quyết định cho {award.unit_name} "
                f"(lúc {at:%H:%M} ngày {format_date(at.date())}, ngày trao {format_date(award.ceremony_date)})"
                " hoặc điều chỉnh sau khi bạn mở trang này, nên lựa chọn của bạn chưa được ghi. Hãy xem lại "
                "quyết định đó; lựa chọn của bạn vẫn còn dưới đây, gửi lại nếu vẫn muốn điều chỉnh.")


@transaction.atomic
def monthly_award_decide(
    *, campaign: Campaign, month: str, unit: Unit, ceremony_date: date, reason: str = "", actor,
    shown: str | None = None,
) -> MonthlyAward:
    """Confirm the proposal or choose another eligible unit (a written reason is then required). ``shown``: the
    award the form showed (award_shown); another one in force now (or none) is refused, AwardMovedOn."""
    _require_reviewer(actor)
    rubric = campaign.rubric
    if month not in rubric.reports.months:
        raise ValidationError("Tháng này không thuộc kỳ báo cáo của phong trào.")
    if rubric.awards.monthly is None:
        raise ValidationError("Phong trào này không có khen thưởng hằng tháng.")
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    proposal = selectors.monthly_proposal(campaign, month)
    if not proposal.closed:
        raise ValidationError(f"Chỉ xét khen thưởng khi kết quả {format_month(month)} đã được chốt.")
    choice = next((c for c in proposal.choices if c.code == unit.code), None)
    if any(c.code == unit.code for c in proposal.held_back):
        raise ValidationError(f"Báo cáo {format_month(month)} của {unit.name} đang bị trả lại để bổ sung: chưa xét "
                              "khen thưởng cho đến khi đơn vị nộp bản điều chỉnh.")
    if choice is None:
        raise ValidationError(
            f"{unit.name} không đủ điều kiện khen thưởng {format_month(month)} "
            "(phải có báo cáo tháng đúng hạn, trung thực)."
        )
    reason = (reason or "").strip()
    overriding = proposal.proposed is None or proposal.proposed.code != unit.code
    if overriding and len(reason) < MIN_REASON:
        if proposal.proposed is None:
            raise ValidationError("Không có đơn vị được đề xuất duy nhất: cần ghi rõ lý do chọn đơn vị này.")
        raise ValidationError(
            f"Cần ghi rõ lý do khi chọn đơn vị khác với đề xuất ({proposal.proposed.name})."
        )
    due = rubric.due_date(month)
    if ceremony_date <= due:
        raise ValidationError(f"Ngày trao phải sau hạn báo cáo tháng ({format_date(due)}).")
    end = rubric.campaign.end
    latest = end.replace(year=end.year + 1, day=28) if (end.month, end.day) == (2, 29) else end.replace(
        year=end.year + 1)
    if ceremony_date > latest:  # the monthly flag ceremony follows the month; years later is a typing slip
        raise ValidationError(f"Ngày trao {format_date(ceremony_date)} quá xa: không được sau {format_date(latest)} "
                              "(một năm sau khi kết thúc phong trào).")
    award = MonthlyAward.objects.in_force().select_for_update().filter(campaign=campaign, month=month).first()
    if shown is not None and shown != award_shown(award):
        raise AwardMovedOn(month, award)
    before = _award_state(award)
    changed_unit = award is not None and award.unit_id != unit.pk
    if award is None:
        award = MonthlyAward(campaign=campaign, month=month)
    award.unit = unit
    if award.pk is None or changed_unit:  # the name the award is decided under (an adjustment keeps it)
        award.unit_name = unit_as_in_campaign(campaign, unit).name
    award.proposed_unit = Unit.objects.filter(code=proposal.proposed.code).first() if proposal.proposed else None
    award.override_reason = reason if overriding else ""
    award.ceremony_date = ceremony_date
    award.prize_vnd = proposal.prize_vnd
    award.total = choice.total
    if award.pk is None or changed_unit:  # an adjustment (ceremony date, reason) keeps when and by whom it was decided
        award.decided_at = clock.now()
        award.decided_by = actor
    if changed_unit:  # a flag, and its answer, concerned the unit that was awarded before
        award.flagged, award.flag_reason, award.flagged_at = False, "", None
        award.flag_conclusion, award.flag_cleared_at, award.flag_cleared_by = "", None, None
        award.decision_number, award.decision_date = "", None  # another unit: another Quyết định
    if before is not None and _award_state(award) == before:
        return award  # saved again unchanged: nothing to write or audit
    award.save()
    verb = "Điều chỉnh" if before else "Quyết định"
    audit("monthly_award.changed" if before else "monthly_award.decided", actor=actor, obj=award,
          unit_code=unit.code, campaign_code=campaign.code,
          summary=f"{verb} khen thưởng {format_month(month)}: {unit.name}"
                  + (f" (khác đề xuất — {reason})" if overriding else " (theo đề xuất)"),
          before=before, after=_award_state(award))
    return award


@transaction.atomic
def monthly_award_flag(*, report, actor) -> MonthlyAward | None:
    """A later finding that the awarded unit's report for that month was untruthful flags the
    award for the Head of the Home Affairs Office (plan III.1)."""
    award = (MonthlyAward.objects.in_force().select_for_update()
             .filter(campaign=report.campaign, month=report.month, unit=report.unit).first())
    if award is None or award.flagged:
        return None
    award.flagged = True
    award.flagged_at = clock.now()
    award.flag_conclusion, award.flag_cleared_at, award.flag_cleared_by = "", None, None  # a new finding
    # the heading of the flag on the pages asks for the Head of the Home Affairs Office: not said again here
    finding = finding_without_prefix(report.untruthful_reason).rstrip(". ")
    award.flag_reason = (
        f"Phúc tra kết luận báo cáo {format_month(report.month)} của {report.unit.name} không trung thực"
        + (f": {finding}" if finding else "") + "."
    )
    award.save(update_fields=["flagged", "flagged_at", "flag_reason", "flag_conclusion", "flag_cleared_at",
                              "flag_cleared_by"])
    chief = district_info(report.campaign).home_affairs_chief
    audit("monthly_award.flagged", actor=actor, obj=award, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"Khen thưởng {format_month(report.month)} của {report.unit.name} cần {chief} xem xét "
                  "(báo cáo tháng bị kết luận không trung thực)",
          after={"flag_reason": award.flag_reason})
    return award


def monthly_award_unflag(*, report, actor, reason: str) -> MonthlyAward | None:
    """The untruthful finding that flagged the award given on ``report`` is withdrawn: a flag not yet answered
    is cleared, the withdrawal as its conclusion. An award already revoked stays revoked (the month may be
    decided again), and one kept stays kept."""
    award = (MonthlyAward.objects.in_force().select_for_update(of=("self",))
             .filter(campaign=report.campaign, month=report.month, unit=report.unit).first())
    if award is None or not award.flagged:
        return None
    before = {**_award_state(award), "flag_reason": award.flag_reason}
    conclusion = f"Kết luận báo cáo {format_month(report.month)} không trung thực đã được hủy: {reason}"
    award.flagged = False
    award.flag_conclusion, award.flag_cleared_at, award.flag_cleared_by = conclusion, clock.now(), actor
    award.save(update_fields=["flagged", "flag_conclusion", "flag_cleared_at", "flag_cleared_by"])
    audit("monthly_award.flag_cleared", actor=actor, obj=award, unit_code=report.unit.code,
          campaign_code=report.campaign.code,
          summary=f"Khen thưởng {format_month(report.month)} của {report.unit.name} không còn cần xem xét: "
                  f"{conclusion}",
          before=before, after={**_award_state(award), "conclusion": conclusion})
    return award


def _check_signed_on(signed_on: date, since, since_what: str) -> None:
    """A Quyết định is signed neither after today nor before the system step it follows (``since``)."""
    if signed_on > clock.today():
        raise ValidationError("Ngày ký Quyết định không được sau ngày hôm nay.")
    earliest = timezone.localtime(since).date()
    if signed_on < earliest:
        raise ValidationError(f"Ngày ký Quyết định không được trước {since_what} ({format_date(earliest)}).")


def _check_number_free(campaign: Campaign, number: str, *, award: MonthlyAward | None = None) -> None:
    """One number serves one Quyết định of the campaign: a month's in force, or the year-end one.
    ``award`` is the month being recorded (its own earlier number may be entered again)."""
    taken = MonthlyAward.objects.in_force().filter(campaign=campaign, decision_number=number)
    if award is not None:
        taken = taken.exclude(pk=award.pk)
    month = taken.values_list("month", flat=True).first()
    if month is not None:
        raise ValidationError(f"Số {number} đã ghi cho Quyết định khen thưởng {format_month(month)}.")
    if award is not None and YearEndDecision.objects.filter(campaign=campaign, number=number).exists():
        raise ValidationError(f"Số {number} đã ghi cho Quyết định khen thưởng cuối năm.")


@transaction.atomic
def monthly_award_record_decision(*, award: MonthlyAward, number: str, signed_on: date, actor,
                                  decided: str | None = None) -> MonthlyAward:
    """Record the number and date of the month's signed Quyết định; the month's Quyết định and
    Giấy khen print them from then on. A wrong entry is corrected by recording it again. ``decided``: the decision
    the form was opened on (award_decided); another one is refused (AwardMovedOn)."""
    _require_reviewer(actor)
    # One number recorded at a time in the campaign (as year_end_decision_record does): two months' recordings
    # at once each saw the other's number free and one Quyết định number served both.
    Campaign.objects.select_for_update().filter(pk=award.campaign_id).first()
    award = MonthlyAward.objects.select_for_update(of=("self",)).select_related("unit", "campaign").get(pk=award.pk)
    if award.revoked_at is not None:
        raise ValidationError("Khen thưởng này đã bị thu hồi.")
    if decided is not None and decided != award_decided(award):
        at = timezone.localtime(award.decided_at)
        raise AwardMovedOn(award.month, award, message=(
            f"Khen thưởng {format_month(award.month)} đã được {award.decided_by.display_name} quyết định lại cho "
            f"{award.unit_name} lúc {at:%H:%M} ngày {format_date(at.date())} sau khi bạn mở trang này, nên số Quyết "
            "định chưa được ghi (số đó là của quyết định trước). Hãy xem lại rồi ghi số Quyết định của quyết định "
            "này."))
    number = clean_document_number(number)
    _check_signed_on(signed_on, award.decided_at, "ngày quyết định khen thưởng trên hệ thống")
    _check_number_free(award.campaign, number, award=award)
    before = {"decision_number": award.decision_number, "decision_date": award.decision_date}
    award.decision_number, award.decision_date = number, signed_on
    award.save(update_fields=["decision_number", "decision_date"])
    audit("monthly_award.decision_recorded", actor=actor, obj=award, unit_code=award.unit.code,
          campaign_code=award.campaign.code,
          summary=f"Ghi số Quyết định khen thưởng {format_month(award.month)} ({award.unit.name}): "
                  f"số {number} ngày {format_date(signed_on)}",
          before=before, after={"decision_number": number, "decision_date": signed_on})
    return award


KEEP, REVOKE = "keep", "revoke"


@transaction.atomic
def monthly_award_flag_resolve(*, award: MonthlyAward, outcome: str, conclusion: str, actor) -> MonthlyAward:
    """The Head of the Home Affairs Office answers a flagged award: keep it, with a written
    conclusion, or revoke it (thu hồi); a revoked award stays on record and the month may be
    decided again among the units still eligible."""
    _require_reviewer(actor)
    award = MonthlyAward.objects.select_for_update(of=("self",)).select_related("unit").get(pk=award.pk)
    if award.revoked_at is not None:
        raise ValidationError("Khen thưởng này đã bị thu hồi.")
    if not award.flagged:
        raise ValidationError("Khen thưởng này không có gì cần xem xét.")
    if outcome not in (KEEP, REVOKE):
        raise ValidationError("Vui lòng chọn giữ nguyên hoặc thu hồi khen thưởng.")
    conclusion = " ".join((conclusion or "").split())
    if len(conclusion) < MIN_REASON:
        raise ValidationError(f"Cần ghi rõ kết luận xem xét (ít nhất {MIN_REASON} ký tự).")
    before = {**_award_state(award), "flag_reason": award.flag_reason}
    now, label = clock.now(), format_month(award.month)
    award.flagged = False
    if outcome == KEEP:
        award.flag_conclusion, award.flag_cleared_at, award.flag_cleared_by = conclusion, now, actor
        award.save(update_fields=["flagged", "flag_conclusion", "flag_cleared_at", "flag_cleared_by"])
        audit("monthly_award.flag_cleared", actor=actor, obj=award, unit_code=award.unit.code,
              campaign_code=award.campaign.code,
              summary=f"Giữ nguyên khen thưởng {label} của {award.unit.name} sau xem xét: {conclusion}",
              before=before, after={**_award_state(award), "conclusion": conclusion})
    else:
        award.revoked_at, award.revoked_by, award.revoke_reason = now, actor, conclusion
        award.save(update_fields=["flagged", "revoked_at", "revoked_by", "revoke_reason"])
        audit("monthly_award.revoked", actor=actor, obj=award, unit_code=award.unit.code,
              campaign_code=award.campaign.code,
              summary=f"Thu hồi khen thưởng {label} của {award.unit.name}: {conclusion}",
              before=before, after={"revoked": True, "reason": conclusion})
    return award


# ----- year-end list -----------------------------------------------------------------------------

@transaction.atomic
def year_end_list_record(*, campaign: Campaign, actor) -> list[YearEndProposal]:
    """Chốt danh sách đề nghị: record the collectives of the final standing; nominations close."""
    _require_reviewer(actor)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if selectors.is_locked(campaign):
        raise ValidationError("Danh sách đề nghị đã được chốt.")
    standing = selectors.year_end_standing(campaign)
    if standing.pending:
        tied = [", ".join(c.name for c in p.cards) for p in standing.places if p.pending]
        tied += [", ".join(c.name for c in e.pending) for e in standing.collectives if e.pending]
        raise ValidationError(
            "Còn vị trí đang chờ phân định bằng điểm (" + "; ".join(tied) + "): cần ghi nhận quyết định "
            "của Hội đồng tại trang Xếp hạng trước khi chốt danh sách."
        )
    rows: list[dict] = []
    for place in standing.places:
        card = place.cards[0]
        rows.append(dict(award_key=place.award_key, code=card.code, place=place.place, prize_vnd=place.prize_vnd,
                         bonus_points=place.bonus_points, individuals_quota=place.individuals,
                         rank=card.rank, total=card.total))
    for entry in standing.collectives:
        for card in entry.certain:
            rows.append(dict(award_key=entry.award_key, code=card.code, place=None, prize_vnd=0, bonus_points=0,
                             individuals_quota=None, rank=card.rank, total=card.total))
    if not rows:
        raise ValidationError("Chưa có đơn vị nào đủ điều kiện đề nghị khen thưởng cuối năm.")
    units = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    problems = _quota_problems(campaign, rows, units)
    if problems:
        raise ValidationError(problems)
    now = clock.now()
    created = []
    for position, row in enumerate(rows, start=1):
        code = row.pop("code")
        proposal = YearEndProposal.objects.create(campaign=campaign, unit=units[code], position=position,
                                                  recorded_at=now, recorded_by=actor, **row)
        DossierItem.objects.bulk_create([DossierItem(proposal=proposal, kind=k) for k in DossierItem.Kind.values])
        created.append(proposal)
    audit("year_end.list_recorded", actor=actor, campaign_code=campaign.code,
          summary=f"Chốt danh sách đề nghị khen thưởng cuối năm: {len(created)} tập thể",
          after=[{"unit": p.unit.code, "award": p.award_key, "place": p.place, "prize_vnd": p.prize_vnd}
                 for p in created])
    return created


@transaction.atomic
def year_end_list_reopen(*, campaign: Campaign, reason: str, actor) -> int:
    """Mở lại danh sách đề nghị: undo a recording made in error (figures corrected afterwards, a
    council decision recorded late) so that the list can be recorded again; nominations reopen.
    Refused once a document of the dossier has been signed. Returns how many proposals were
    removed; the audit keeps them with the reason."""
    _require_reviewer(actor)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    proposals = list(YearEndProposal.objects.filter(campaign=campaign).select_related("unit"))
    if not proposals:
        raise ValidationError("Danh sách đề nghị chưa được chốt.")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError("Cần ghi rõ lý do mở lại danh sách đề nghị (ít nhất 10 ký tự).")
    decision = YearEndDecision.objects.filter(campaign=campaign).first()
    if decision is not None:
        raise ValidationError(f"Quyết định khen thưởng số {decision.number} đã được ký: không thể mở lại danh sách.")
    signed = (DossierItem.objects.filter(proposal__campaign=campaign, signed_on__isnull=False)
              .select_related("proposal__unit").order_by("proposal__position", "kind"))
    if signed:
        names = "; ".join(f"{item.get_kind_display()} — {item.proposal.unit.name}" for item in signed)
        raise ValidationError(f"Hồ sơ đã có văn bản được ký, nộp ({names}): không thể mở lại danh sách.")
    before = [{"unit": p.unit.code, "award": p.award_key, "place": p.place, "prize_vnd": p.prize_vnd,
               "rank": p.rank, "total": p.total} for p in proposals]
    YearEndProposal.objects.filter(campaign=campaign).delete()  # their dossier items go with them
    audit("year_end.list_reopened", actor=actor, campaign_code=campaign.code,
          summary=f"Mở lại danh sách đề nghị khen thưởng cuối năm ({len(proposals)} tập thể). Lý do: {reason}",
          before=before, after={"reason": reason})
    return len(proposals)


@transaction.atomic
def year_end_decision_record(*, campaign: Campaign, number: str, signed_on: date, actor) -> YearEndDecision:
    """Record the number and date of the signed year-end Quyết định; the Quyết định and the year-end
    Giấy khen print them from then on. A wrong entry is corrected by recording it again."""
    _require_reviewer(actor)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    first = YearEndProposal.objects.filter(campaign=campaign).order_by("recorded_at").first()
    if first is None:
        raise ValidationError("Danh sách đề nghị chưa được chốt: chưa có Quyết định khen thưởng cuối năm.")
    number = clean_document_number(number)
    _check_signed_on(signed_on, first.recorded_at, "ngày chốt danh sách đề nghị")
    _check_number_free(campaign, number)
    decision = YearEndDecision.objects.select_for_update().filter(campaign=campaign).first()
    before = {"number": decision.number, "signed_on": decision.signed_on} if decision else None
    if decision is None:
        decision = YearEndDecision(campaign=campaign)
    decision.number, decision.signed_on = number, signed_on
    decision.recorded_at, decision.recorded_by = clock.now(), actor
    decision.save()
    audit("year_end.decision_recorded", actor=actor, obj=decision, campaign_code=campaign.code,
          summary=f"Ghi số Quyết định khen thưởng cuối năm: số {number} ngày {format_date(signed_on)}",
          before=before, after={"number": number, "signed_on": signed_on})
    return decision


def _quota_problems(campaign: Campaign, rows: list[dict], units: dict[str, Unit]) -> list[str]:
    counts: dict[int, int] = {}
    for unit_id in Unit.objects.filter(nominations__campaign=campaign).values_list("pk", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    problems = []
    pools: dict[str, int] = {}
    for row in rows:
        n = counts.get(units[row["code"]].pk, 0)
        if row["individuals_quota"] is not None:
            if n > row["individuals_quota"]:
                problems.append(f"{units[row['code']].name} đề cử {n} cá nhân, vượt số lượng "
                                f"{row['individuals_quota']} của hạng {selectors.place_name(row['place'])}.")
        else:
            pools[row["award_key"]] = pools.get(row["award_key"], 0) + n
    for award in campaign.rubric.awards.year_end:
        if not isinstance(award, PlacesAward) and pools.get(award.key, 0) > award.individuals:
            problems.append(f"{award.label}: {pools[award.key]} cá nhân được đề cử, vượt số lượng "
                            f"{award.individuals}.")
    return problems


# ----- nominations -------------------------------------------------------------------------------

@dataclass(frozen=True)
class NominationData:
    full_name: str
    position: str
    achievement: str
    birth_date: date | None = None
    gender: str = ""


def _check_nominator(campaign: Campaign, unit: Unit, actor) -> None:
    if not (getattr(actor, "is_reviewer", False) or (actor.is_reporter and actor.unit_id == unit.pk)):
        raise PermissionDenied("Bạn chỉ được đề cử cá nhân của đơn vị mình.")
    # The campaign's row first, as year_end_list_record takes it: a nomination added, changed or withdrawn while
    # the list is being locked waits for it, then is refused (it went through after the lock, unseen).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if selectors.is_locked(campaign):
        raise ValidationError("Danh sách đề nghị đã chốt: không thể thay đổi cá nhân đề cử.")


def _nomination_state(n: Nomination) -> dict:
    return {"full_name": n.full_name, "position": n.position, "achievement": n.achievement,
            "birth_date": n.birth_date.isoformat() if n.birth_date else None, "gender": n.gender}


def _clean(data: NominationData) -> NominationData:
    full_name = " ".join(data.full_name.split())
    position = " ".join(data.position.split())
    achievement = data.achievement.strip()
    errors = {}
    if not full_name:
        errors["full_name"] = "Cần nhập họ và tên."
    if not position:
        errors["position"] = "Cần nhập chức vụ."
    if len(achievement) < 10:
        errors["achievement"] = "Cần tóm tắt thành tích (ít nhất 10 ký tự)."
    if data.gender not in ("", "Nam", "Nữ"):
        errors["gender"] = "Giới tính là Nam hoặc Nữ."
    if data.birth_date is not None and not (date(1940, 1, 1) <= data.birth_date <= clock.today()):
        errors["birth_date"] = "Ngày sinh không hợp lệ."
    if errors:
        raise ValidationError(errors)
    return NominationData(full_name, position, achievement, data.birth_date, data.gender)


@transaction.atomic
def nomination_create(*, campaign: Campaign, unit: Unit, data: NominationData, actor) -> Nomination:
    _check_nominator(campaign, unit, actor)  # locks the campaign's row: quota checks one at a time
    data = _clean(data)
    quota = selectors.quota_for(campaign, unit)
    if quota is None:
        raise ValidationError(f"{unit.name} không thuộc danh sách đơn vị được đề nghị khen thưởng cuối năm "
                              "(hoặc đang chờ phân định bằng điểm).")
    if quota.remaining <= 0:
        raise ValidationError(f"Đã đủ số lượng cá nhân được đề nghị ({quota.label}); "
                              "không thể đề cử thêm.")
    now = clock.now()
    nomination = Nomination.objects.create(campaign=campaign, unit=unit, created_by=actor, created_at=now,
                                           updated_at=now, **data.__dict__)
    audit("nomination.created", actor=actor, obj=nomination, unit_code=unit.code, campaign_code=campaign.code,
          summary=f"{unit.name}: đề cử {nomination.full_name} ({nomination.position})",
          after=_nomination_state(nomination))
    return nomination


@transaction.atomic
def nomination_update(*, nomination: Nomination, data: NominationData, actor) -> Nomination:
    _check_nominator(nomination.campaign, nomination.unit, actor)
    data = _clean(data)
    before = _nomination_state(nomination)
    for key, value in data.__dict__.items():
        setattr(nomination, key, value)
    nomination.updated_at = clock.now()
    nomination.save()
    audit("nomination.updated", actor=actor, obj=nomination, unit_code=nomination.unit.code,
          campaign_code=nomination.campaign.code, summary=f"{nomination.unit.name}: sửa đề cử {nomination.full_name}",
          before=before, after=_nomination_state(nomination))
    return nomination


@transaction.atomic
def nomination_delete(*, nomination: Nomination, actor) -> None:
    _check_nominator(nomination.campaign, nomination.unit, actor)
    before = _nomination_state(nomination)
    audit("nomination.deleted", actor=actor, obj=nomination, unit_code=nomination.unit.code,
          campaign_code=nomination.campaign.code, summary=f"{nomination.unit.name}: bỏ đề cử {nomination.full_name}",
          before=before)
    nomination.delete()


# ----- dossier -----------------------------------------------------------------------------------

@transaction.atomic
def dossier_mark_generated(*, campaign: Campaign, kind: str, unit: Unit | None = None, actor) -> int:
    """Record that a dossier document was generated (Tờ trình and Biên bản cover every proposal)."""
    items = DossierItem.objects.filter(proposal__campaign=campaign, kind=kind, generated_at__isnull=True)
    if unit is not None:
        items = items.filter(proposal__unit=unit)
    ids = list(items.values_list("pk", flat=True))
    if not ids:
        return 0
    DossierItem.objects.filter(pk__in=ids).update(generated_at=clock.now())
    label = DossierItem.Kind(kind).label
    audit("dossier.generated", actor=actor, campaign_code=campaign.code, unit_code=unit.code if unit else "",
          summary=f"Lập {label}" + (f" — {unit.name}" if unit else ""), after={"kind": kind, "items": ids})
    return len(ids)


SHARED_DOCUMENTS = {DossierItem.Kind.TO_TRINH, DossierItem.Kind.BIEN_BAN}  # one document for all proposals


@transaction.atomic
def dossier_mark_signed(*, item: DossierItem, signed_on: date, actor, number: str = "") -> DossierItem:
    """Mark a generated document signed (or submitted) on ``signed_on``, with its number if it has one."""
    _require_reviewer(actor)
    number = clean_document_number(number) if (number or "").strip() else ""
    item = (DossierItem.objects.select_for_update(of=("self",))
            .select_related("proposal__unit", "proposal__campaign").get(pk=item.pk))
    if item.generated_at is None:
        raise ValidationError("Văn bản chưa được lập: tải văn bản về, trình ký rồi mới đánh dấu đã ký, nộp.")
    if signed_on > clock.today():
        raise ValidationError("Ngày ký, nộp không được sau ngày hôm nay.")
    campaign = item.proposal.campaign
    start = campaign.rubric.campaign.start
    if signed_on < start:
        raise ValidationError(f"Ngày ký, nộp không được trước ngày bắt đầu phong trào ({format_date(start)}).")
    before = {"signed_on": item.signed_on.isoformat() if item.signed_on else None, "number": item.number}
    after = {"signed_on": signed_on.isoformat(), "number": number}
    if item.kind in SHARED_DOCUMENTS:
        # One Tờ trình and one Biên bản cover every proposal: signing it signs each proposal's row.
        items = DossierItem.objects.filter(proposal__campaign=campaign, kind=item.kind, generated_at__isnull=False)
        rows = items.update(signed_on=signed_on, signed_by=actor, number=number)
        audit("dossier.signed", actor=actor, obj=item, campaign_code=campaign.code,
              summary=f"{item.get_kind_display()}{f' số {number}' if number else ''} (chung cho {format_int(rows)} "
                      f"đề nghị): đã ký, nộp ngày {format_date(signed_on)}", before=before, after=after)
        item.refresh_from_db()
        return item
    item.signed_on, item.signed_by, item.number = signed_on, actor, number
    item.save(update_fields=["signed_on", "signed_by", "number"])
    unit = item.proposal.unit
    audit("dossier.signed", actor=actor, obj=item, unit_code=unit.code, campaign_code=campaign.code,
          summary=f"{item.get_kind_display()}{f' số {number}' if number else ''} — {unit.name}: "
                  f"đã ký, nộp ngày {format_date(signed_on)}", before=before, after=after)
    return item


# ----- district officials and the meeting -------------------------------------------------------

LEGAL_BASIS_LINES = 12


def clean_legal_basis(text: str) -> str:
    """The Quyết định's legal basis, one "Căn cứ …;" a line (blank lines dropped, each line closed by ";")."""
    lines = [" ".join(line.split()) for line in unicodedata.normalize("NFC", text or "").splitlines()]
    lines = [line if line.endswith(";") else f"{line.rstrip(',.')};" for line in lines if line]
    if len(lines) > LEGAL_BASIS_LINES:
        raise ValidationError({"legal_basis": f"Tối đa {LEGAL_BASIS_LINES} căn cứ pháp lý."})
    for number, line in enumerate(lines, 1):
        if not line.startswith("Căn cứ "):
            raise ValidationError({"legal_basis": (
                f"Dòng {number}: mỗi căn cứ bắt đầu bằng «Căn cứ …» "
                "(ví dụ: Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;).")})
        if len(line) > 600:
            raise ValidationError({"legal_basis": f"Dòng {number}: căn cứ dài quá 600 ký tự."})
    return "\n".join(lines)


@transaction.atomic
def district_officials_update(*, campaign: Campaign, chairman_name: str, head_of_home_affairs_name: str,
                              district: str, province: str, actor, issuer_kind: str = "district",
                              plan_number: str = "", plan_date: date | None = None, plan_title: str = "",
                              movement: str = "", movement_short: str = "",
                              legal_basis: str = "") -> DistrictOfficials:
    """The names and wording printed on the award documents: the issuer (a district's or a province's
    People's Committee, see ISSUER_KINDS), the signers, the plan cited and the Quyết định's legal
    basis (blank plan fields: the rubric's wording)."""
    _require_reviewer(actor)
    if issuer_kind not in ISSUER_KINDS:
        raise ValidationError({"issuer_kind": "Cơ quan ban hành không hợp lệ."})
    district_level = ISSUER_KINDS[issuer_kind][0] == "district"
    if district_level and not district.strip():
        raise ValidationError({"district": f"Nhập tên {ISSUER_KINDS[issuer_kind][1]} ban hành văn bản."})
    # The campaign's row first: the first two saves at once each found no record and the second failed on the
    # one-per-campaign constraint (error 500); now the second waits, then updates the first's record.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    record = DistrictOfficials.objects.select_for_update().filter(campaign=campaign).first()
    if plan_date is not None and plan_date > campaign.rubric.campaign.end:
        raise ValidationError({"plan_date": "Ngày ban hành kế hoạch không được sau ngày kết thúc phong trào."})
    try:
        plan_number = clean_document_number(plan_number) if (plan_number or "").strip() else ""
    except ValidationError as exc:
        raise ValidationError({"plan_number": exc.messages}) from exc
    fields = dict(issuer_kind=issuer_kind, chairman_name=chairman_name.strip(),
                  head_of_home_affairs_name=head_of_home_affairs_name.strip(),
                  district=district.strip() if district_level else "", province=province.strip(),
                  plan_number=plan_number,
                  plan_date=plan_date, plan_title=" ".join((plan_title or "").split()),
                  movement=" ".join((movement or "").split()), movement_short=" ".join((movement_short or "").split()),
                  legal_basis=clean_legal_basis(legal_basis))
    before = {k: getattr(record, k) for k in fields} if record else None
    if record is None:
        record = DistrictOfficials(campaign=campaign)
    for key, value in fields.items():
        setattr(record, key, value)
    record.full_clean()
    record.save()
    if before != fields:
        audit("awards.district_updated", actor=actor, obj=record, campaign_code=campaign.code,
              summary=("Cập nhật thông tin trên văn bản khen thưởng "
                       "(cơ quan ban hành, lãnh đạo, kế hoạch, căn cứ pháp lý)"),
              before=before, after=fields)
    return record


@dataclass(frozen=True)
class MeetingData:
    date: date
    time_start: time
    time_end: time
    place: str
    chair_name: str
    chair_position: str
    secretary_name: str
    secretary_position: str
    members_present: str = ""
    members_absent: str = ""


@transaction.atomic
def award_meeting_update(*, campaign: Campaign, data: MeetingData, actor) -> AwardMeeting:
    _require_reviewer(actor)
    if data.time_end <= data.time_start:
        raise ValidationError({"time_end": "Giờ kết thúc phải sau giờ bắt đầu."})
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # as district_officials_update
    record = AwardMeeting.objects.select_for_update().filter(campaign=campaign).first()
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.__dict__.items()}
    before = {k: getattr(record, k) for k in fields} if record else None
    if record is None:
        record = AwardMeeting(campaign=campaign)
    for key, value in fields.items():
        setattr(record, key, value)
    record.full_clean(exclude=["campaign"])
    record.save()
    audit("awards.meeting_updated", actor=actor, obj=record, campaign_code=campaign.code,
          summary=f"Cập nhật thông tin cuộc họp xét khen thưởng ngày {format_date(data.date)}",
          before=before, after=fields)
    return record
