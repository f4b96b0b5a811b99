"""The reward documents assembled from the database, built and rendered by thidua.documents."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import date
from fractions import Fraction

from django.http import Http404

from thidua.awards import selectors
from thidua.awards.models import (
    AwardMeeting,
    DistrictOfficials,
    DossierItem,
    MonthlyAward,
    Nomination,
)
from thidua.campaigns.models import Campaign, MonthSnapshot
from thidua.core import clock
from thidua.documents import (
    ISSUER_KINDS,
    CollectiveProposal,
    DistrictInfo,
    IndividualProposal,
    MeetingInfo,
    MonthAward,
    MonthReporting,
    OfficialDocument,
    Person,
    PlanInfo,
    RankedUnit,
    bang_tong_hop_cham_diem,
    bao_cao_thanh_tich_ca_nhan,
    bao_cao_thanh_tich_tap_the,
    bien_ban_hop_xet,
    giay_khen,
    issuer_from_document,
    legal_basis_on,
    quyet_dinh_khen_thuong,
    render_docx,
    render_pdf,
    thong_bao_ket_qua_thang,
    to_trinh_de_nghi_khen_thuong,
    year_end_dossier,
)
from thidua.documents.demo import demo_district, demo_meeting
from thidua.documents.text import vn_date_words
from thidua.reports.models import Report
from thidua.reports.selectors import submission_matrix, unit_as_in_campaign, unit_state, units_as_in_campaign
from thidua.scoring.text import format_int, format_month, format_rate, format_report_penalties
from thidua.units.models import Unit

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class DocumentUnavailable(Exception):
    """The document cannot be made yet; the message (Vietnamese) says what is missing."""


class MonthNotClosed(DocumentUnavailable):
    """A month's Thông báo before the month is closed (on the ranking page)."""


_READ = object()  # district_info / plan_info: read the campaign's DistrictOfficials row


def officials(campaign: Campaign) -> DistrictOfficials | None:
    """The reviewer's entries for the documents (None until saved); read once, pass to the two below."""
    return DistrictOfficials.objects.filter(campaign=campaign).first()


def default_issuer(campaign: Campaign) -> tuple[str, str] | None:
    """(issuer kind, locality name) a campaign other than Plan 211 starts with, before the reviewer enters its
    issuer: the People's Committee its plan's document names («… của Ủy ban nhân dân tỉnh Quảng Ninh»), else
    the registry's one province when it has no district in use (today's structure). None: nothing to go by."""
    if campaign.rubric.code == PLAN_211_CODE:
        return None
    found = issuer_from_document(campaign.rubric.document)
    if found is None and not Unit.objects.filter(level=Unit.Level.DISTRICT, active=True).exists():
        provinces = list(Unit.objects.filter(level=Unit.Level.PROVINCE, parent=None, active=True)
                         .values_list("name", flat=True)[:2])
        if len(provinces) == 1:
            found = issuer_from_document(f"Ủy ban nhân dân {provinces[0][:1].lower()}{provinces[0][1:]}")
    return found


def district_info(campaign: Campaign, record: DistrictOfficials | object | None = _READ) -> DistrictInfo:
    if record is _READ:
        record = officials(campaign)
    if record is None:
        # until the reviewer enters the real names: the plan's own issuer without names (another plan), else
        # the demo district (Plan 211, whose demo prints its documents)
        found = default_issuer(campaign)
        if found is None:
            return demo_district()
        kind_key, name = found
        level, kind, _ = ISSUER_KINDS[kind_key]
        return DistrictInfo(chairman_name="", head_of_home_affairs_name="", level=level, kind=kind,
                            district=name if level == "district" else "", province="" if level == "district" else name)
    level, kind, _ = ISSUER_KINDS.get(record.issuer_kind, ISSUER_KINDS["district"])
    return DistrictInfo(
        chairman_name=record.chairman_name, head_of_home_affairs_name=record.head_of_home_affairs_name,
        district=record.district, province=record.province, level=level, kind=kind,
    )


PLAN_211_CODE = "chau-thanh-a-2021"  # the rubric whose documents use Plan 211's own wording (PlanInfo's defaults)
_PLAN_REFERENCE = re.compile(r"số\s+(\S+)\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")


def rubric_plan_info(campaign: Campaign) -> PlanInfo:
    """The plan as the rubric describes it: Plan 211's own wording for Plan 211; for another plan, its
    number and date read from the rubric's ``document`` ("Kế hoạch số 15/KH-UBND ngày 02/3/2026 …")
    and its name as the title and movement, until the reviewer words them on the documents page."""
    rubric = campaign.rubric
    year = rubric.campaign.end.year
    groups = {key: group.label for key, group in rubric.groups.items()}
    if rubric.code == PLAN_211_CODE:
        return PlanInfo(year=year, groups=groups, min_total=rubric.eligibility.min_total,
                        online_wording=campaign.online_wording)
    number, signed = "", rubric.campaign.start
    found = _PLAN_REFERENCE.search(rubric.document)
    if found:
        try:
            number, signed = found[1], date(int(found[4]), int(found[3]), int(found[2]))
        except ValueError:  # an impossible date in the rubric's text: keep the campaign's start
            number = found[1]
    title = rubric.name[:1].lower() + rubric.name[1:]
    movement = title if title.startswith("phong trào") else f"phong trào {title}"
    return PlanInfo(number=number, date=signed, year=year, title=title, movement=movement, short=movement,
                    groups=groups, min_total=rubric.eligibility.min_total, online_wording=campaign.online_wording,
                    legal_basis=legal_basis_on(rubric.campaign.end))  # its awards are decided at its end


def plan_info(campaign: Campaign, record: DistrictOfficials | object | None = _READ) -> PlanInfo:
    """What the documents say of the plan: the reviewer's wording where entered, else the rubric's."""
    plan = rubric_plan_info(campaign)
    if record is _READ:
        record = officials(campaign)
    if record is None:
        return plan
    entered = {"number": record.plan_number, "date": record.plan_date, "title": record.plan_title,
               "movement": record.movement, "short": record.movement_short,
               "legal_basis": tuple(line for line in record.legal_basis.splitlines() if line.strip())}
    return replace(plan, **{key: value for key, value in entered.items() if value})


def criteria_labels(campaign: Campaign) -> tuple[tuple[str, str], ...]:
    labels: dict[str, str] = {}
    for group in campaign.rubric.groups.values():
        for c in group.criteria:
            labels.setdefault(c.key, c.label)
    return tuple(labels.items())


def ranked_units(campaign: Campaign) -> list[RankedUnit]:
    return [RankedUnit.from_scorecard(c) for c in selectors.final_result(campaign).scorecards]


def _people(text: str) -> tuple[Person, ...]:
    """Lines "Họ tên - Chức vụ (ghi chú)" → Person; the position is what follows the first " - "."""
    people = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•").strip()
        if not line:
            continue
        note = None
        if line.endswith(")") and "(" in line:
            line, _, rest = line.rpartition("(")
            note, line = rest[:-1].strip(), line.strip()
        name, _, position = line.partition(" - ")
        people.append(Person(name=name.strip(), position=position.strip(), note=note))
    return tuple(people)


def meeting_info(campaign: Campaign) -> MeetingInfo | None:
    m = AwardMeeting.objects.filter(campaign=campaign).first()
    if m is None:
        return None
    return MeetingInfo(
        date=m.date, time_start=m.time_start, time_end=m.time_end, place=m.place,
        chair=Person(name=m.chair_name, position=m.chair_position),
        secretary=Person(name=m.secretary_name, position=m.secretary_position),
        members_present=_people(m.members_present), members_absent=_people(m.members_absent),
    )


def default_meeting_initial(campaign: Campaign) -> dict:
    """What the meeting form suggests before it is saved: Plan 211's demo meeting for Plan 211; for another
    campaign, only what is known of it (its head of Home Affairs chairs, once entered), never the demo's
    district, people and 2021 date."""
    if campaign.rubric.code != PLAN_211_CODE:
        record = officials(campaign)
        if record is None:
            return {}
        return {"chair_name": record.head_of_home_affairs_name,
                "chair_position": district_info(campaign, record).home_affairs_chief}
    m = demo_meeting()

    def lines(people):
        return "\n".join(f"{p.name} - {p.position}" + (f" ({p.note})" if p.note else "") for p in people)

    return dict(date=m.date, time_start=m.time_start, time_end=m.time_end, place=m.place,
                chair_name=m.chair.name, chair_position=m.chair.position, secretary_name=m.secretary.name,
                secretary_position=m.secretary.position, members_present=lines(m.members_present),
                members_absent=lines(m.members_absent))


def _figures(campaign: Campaign, unit: Unit) -> dict:
    figures, card = unit_state(campaign, unit, campaign.rubric.campaign.end)
    out = {"procedures": len(figures.procedures), "accounts": figures.accounts, "dossiers": figures.dossiers,
           "score": card.total}
    if figures.due:
        out["resolution_rate"] = format_rate(Fraction(figures.resolved_on_time * 100, figures.due))
    return out


def _individual(n: Nomination, unit_name: str) -> IndividualProposal:
    return IndividualProposal(full_name=n.full_name, position=n.position, unit_name=unit_name,
                              achievement=n.achievement, birth_date=n.birth_date, gender=n.gender or None)


def _collective(campaign: Campaign, unit: Unit, *, place=None, prize_vnd=0, bonus_points=0,
                people=(), past_awards=()) -> CollectiveProposal:
    base = CollectiveProposal(unit_code=unit.code, unit_name=unit.name, group=unit.group)
    unit_name = base.collective_name
    return CollectiveProposal(
        unit_code=unit.code, unit_name=unit.name, group=unit.group, place=place, prize_vnd=prize_vnd,
        bonus_points=bonus_points, figures=_figures(campaign, unit),
        individuals=tuple(_individual(n, unit_name) for n in people), head_name=unit.head_name,
        head_position=unit.head_title, characteristics=unit.description or None, past_awards=tuple(past_awards),
    )


def monthly_awards_received(campaign: Campaign, district: DistrictInfo) -> dict[int, list[str]]:
    """unit id -> the campaign's monthly awards it received (in force), as its Báo cáo thành tích lists them
    under «Các hình thức khen thưởng đã được nhận»: the award, its month and, once recorded, its decision."""
    out: dict[int, list[str]] = {}
    for award in MonthlyAward.objects.in_force().filter(campaign=campaign).order_by("month"):
        line = f"{district.award} khen thưởng đột xuất tháng {int(award.month[5:])}/{award.month[:4]}"
        if award.decision_number:
            line += f" (Quyết định số {award.decision_number}"
            line += f" {vn_date_words(award.decision_date)})" if award.decision_date else ")"
        out.setdefault(award.unit_id, []).append(line)
    return out


def collective_proposals(campaign: Campaign, district: DistrictInfo | None = None) -> list[CollectiveProposal]:
    """The recorded year-end list as the documents take it; ``district``: the issuer (read if not given),
    which names the monthly awards each unit already received."""
    recorded = selectors.proposals(campaign)
    if not recorded:
        raise DocumentUnavailable("Chưa chốt danh sách đề nghị khen thưởng cuối năm.")
    people: dict[int, list[Nomination]] = {}
    for n in selectors.nominations(campaign):
        people.setdefault(n.unit_id, []).append(n)
    received = monthly_awards_received(campaign, district or district_info(campaign))
    units = units_as_in_campaign(campaign, [p.unit for p in recorded])  # as they took part, not as renamed since
    return [
        _collective(campaign, units[p.unit_id], place=p.place, prize_vnd=p.prize_vnd, bonus_points=p.bonus_points,
                    people=people.get(p.unit_id, ()), past_awards=received.get(p.unit_id, ()))
        for p in recorded
    ]


def _require_officials(campaign: Campaign) -> DistrictOfficials | None:
    """The reviewer's entries for the documents. Plan 211's campaign prints the demo district's names until
    they are entered; any other campaign's documents wait for them, never printing another locality's."""
    record = officials(campaign)
    if record is None and campaign.rubric.code != PLAN_211_CODE:
        raise DocumentUnavailable(
            "Chưa nhập thông tin trên văn bản khen thưởng (cơ quan ban hành, họ tên người ký): cán bộ thẩm định "
            "nhập tại Khen thưởng → Thông tin văn bản, sau đó mới tải được văn bản.")
    return record


def _require_meeting(campaign: Campaign) -> MeetingInfo:
    meeting = meeting_info(campaign)
    if meeting is None:
        raise DocumentUnavailable("Chưa nhập thông tin cuộc họp xét khen thưởng.")
    return meeting


def _monthly(campaign: Campaign, month: str, plan: PlanInfo) -> tuple[MonthlyAward, CollectiveProposal, PlanInfo]:
    award = MonthlyAward.objects.in_force().filter(campaign=campaign, month=month).select_related("unit").first()
    if award is None:
        raise Http404("Tháng này chưa có quyết định khen thưởng.")
    # the award form is the issuer's (a district's Giấy khen, a province's Bằng khen), whatever the rubric's label says;
    # the unit under the name it was awarded under, not one it was given later in the campaign
    unit = copy.copy(unit_as_in_campaign(campaign, award.unit))
    unit.name = award.unit_name or unit.name
    proposal = _collective(campaign, unit, prize_vnd=award.prize_vnd)
    plan = replace(plan, movement=f"{plan.movement} (khen thưởng đột xuất tháng {int(month[5:])}/{month[:4]})")
    return award, proposal, plan


def _signed_to_trinh(campaign: Campaign) -> DossierItem | None:
    """The year-end Tờ trình as signed, once its number is recorded (the latest, if entered on several
    proposals' dossiers): the Tờ trình then prints it and the Quyết định cites it."""
    return (DossierItem.objects.filter(proposal__campaign=campaign, kind=DossierItem.Kind.TO_TRINH,
                                       signed_on__isnull=False).exclude(number="")
            .order_by("-signed_on", "-pk").first())


def _decision_args(campaign: Campaign) -> dict:
    """The signed year-end Quyết định's number and date for a year-end Giấy khen (blank until recorded)."""
    decision = selectors.year_end_decision(campaign)
    return {"decision_number": decision.number, "decision_date": decision.signed_on} if decision else {}


KINDS = {
    "to-trinh": "Tờ trình đề nghị khen thưởng",
    "bien-ban": "Biên bản họp xét khen thưởng",
    "bang-tong-hop": "Bảng tổng hợp chấm điểm",
    "bao-cao-tap-the": "Báo cáo thành tích tập thể",
    "bao-cao-ca-nhan": "Báo cáo thành tích cá nhân",
    "quyet-dinh": "Quyết định khen thưởng",
    "giay-khen": "Giấy khen",
    "thong-bao": "Thông báo kết quả chấm điểm, xếp hạng tháng",
}
_MONTH_KEY = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
DOSSIER_KIND = {"to-trinh": "to_trinh", "bien-ban": "bien_ban", "bao-cao-tap-the": "bao_cao"}


def build(campaign: Campaign, kind: str, key: str) -> tuple[str, OfficialDocument, Unit | None]:
    """(file stem, document, unit the document belongs to) for a download URL.

    Keys: ``cuoi-nam`` for the year-end Tờ trình/Biên bản/Bảng tổng hợp/Quyết định; a unit code
    for a collective's Báo cáo thành tích or Giấy khen; ``YYYY-MM`` for a monthly Quyết định or
    Giấy khen; a nomination id for an individual's Báo cáo thành tích or Giấy khen (``ca-nhan-<id>``)."""
    record = _require_officials(campaign)
    district, plan = district_info(campaign, record), plan_info(campaign, record)
    labels = criteria_labels(campaign)
    if kind == "bang-tong-hop" and key == "cuoi-nam":
        return "bang-tong-hop", bang_tong_hop_cham_diem(
            district, plan, ranked_units(campaign), as_of=campaign.rubric.campaign.end, labels=labels), None
    if kind in ("quyet-dinh", "giay-khen") and _MONTH_KEY.fullmatch(key):  # not a unit code such as P-KT-HT
        award, proposal, mplan = _monthly(campaign, key, plan)
        number, signed_on = award.decision_number or None, award.decision_date
        if kind == "quyet-dinh":
            return f"quyet-dinh-{key}", quyet_dinh_khen_thuong(district, mplan, [proposal], number=number,
                                                               date=signed_on), award.unit
        return f"{district.award_slug}-{key}", giay_khen(district, mplan, proposal, decision_number=number,
                                             decision_date=signed_on), award.unit
    if kind == "thong-bao" and _MONTH_KEY.fullmatch(key):
        return f"thong-bao-ket-qua-{key}", month_notice(campaign, key, district, plan), None
    if kind == "to-trinh" and key == "cuoi-nam":
        meeting, signed = meeting_info(campaign), _signed_to_trinh(campaign)
        return "to-trinh", to_trinh_de_nghi_khen_thuong(
            district, plan, collective_proposals(campaign, district), ranked=ranked_units(campaign),
            meeting_date=meeting.date if meeting else None, number=signed.number if signed else None,
            date=signed.signed_on if signed else None), None
    if kind == "bien-ban" and key == "cuoi-nam":
        meeting = _require_meeting(campaign)
        return "bien-ban", bien_ban_hop_xet(district, plan, meeting, ranked_units(campaign),
                                            collective_proposals(campaign, district), labels=labels), None
    if kind == "quyet-dinh" and key == "cuoi-nam":
        to_trinh, decision = _signed_to_trinh(campaign), selectors.year_end_decision(campaign)
        return "quyet-dinh", quyet_dinh_khen_thuong(
            district, plan, collective_proposals(campaign, district),
            to_trinh_number=to_trinh.number if to_trinh else None,
            to_trinh_date=to_trinh.signed_on if to_trinh else None, number=decision.number if decision else None,
            date=decision.signed_on if decision else None), None
    if kind in ("bao-cao-ca-nhan", "giay-khen") and key.startswith("ca-nhan-") and key[8:].isdigit():
        nomination = Nomination.objects.filter(campaign=campaign, pk=int(key[8:])).select_related("unit").first()
        if nomination is None:
            raise Http404("Không có cá nhân này.")
        proposals = {p.unit_code: p for p in collective_proposals(campaign, district)}
        unit = proposals.get(nomination.unit.code)
        if unit is None:
            raise Http404("Đơn vị của cá nhân này không thuộc danh sách đề nghị.")
        person = _individual(nomination, unit.collective_name)
        if kind == "giay-khen":
            certificate = giay_khen(district, plan, person, **_decision_args(campaign))
            return f"{district.award_slug}-{key}", certificate, nomination.unit
        return f"bao-cao-{key}", bao_cao_thanh_tich_ca_nhan(district, plan, person, unit=unit), nomination.unit
    if kind in ("bao-cao-tap-the", "giay-khen"):
        proposals = {p.unit_code: p for p in collective_proposals(campaign, district)}
        proposal = proposals.get(key)
        if proposal is None:
            raise Http404("Đơn vị không thuộc danh sách đề nghị khen thưởng.")
        unit = Unit.objects.get(code=key)
        if kind == "giay-khen":
            return f"{district.award_slug}-{key}", giay_khen(district, plan, proposal, **_decision_args(campaign)), unit
        ranked = next((u for u in ranked_units(campaign) if u.code == key), None)
        return f"bao-cao-{key}", bao_cao_thanh_tich_tap_the(district, plan, proposal, ranked=ranked,
                                                            labels=labels), unit
    raise Http404("Không có văn bản này.")


def month_notice(campaign: Campaign, month: str, district: DistrictInfo, plan: PlanInfo) -> OfficialDocument:
    """The Thông báo of a closed month: its reports as the review matrix shows them as of the month's scoring date,
    the standing frozen when the month was closed (the units under the names the campaign shows), and the
    month's award in force."""
    if month not in campaign.rubric.reports.months:
        raise Http404("Tháng không thuộc kỳ báo cáo.")
    snapshot = MonthSnapshot.objects.filter(campaign=campaign, month=month).first()
    if snapshot is None:
        raise MonthNotClosed(f"Kết quả {format_month(month)} chưa chốt: chốt tháng ở trang Xếp hạng, sau đó mới "
                             "tải được thông báo kết quả tháng.")
    frozen = snapshot.result["units"]
    registry = Unit.objects.filter(code__in=[u["code"] for u in frozen])
    names = {u.code: u.name for u in units_as_in_campaign(campaign, registry).values()}
    sharing = Counter((u["group"], u["rank"]) for u in frozen if u["rank"] is not None)
    ranked = [RankedUnit(rank=u["rank"], code=u["code"], name=names.get(u["code"], u["code"]), group=u["group"],
                         criteria=u["criteria"], penalty=u["penalty"], total=u["total"], eligible=u["eligible"],
                         tie=u["tie"], tie_resolved=u["tie"] and sharing[(u["group"], u["rank"])] == 1)
              for u in frozen]
    award = MonthlyAward.objects.in_force().filter(campaign=campaign, month=month).select_related("unit").first()
    decided = None
    if award is not None:
        decided = MonthAward(unit_name=award.unit_name or unit_as_in_campaign(campaign, award.unit).name,
                             prize_vnd=award.prize_vnd, decision_number=award.decision_number or None,
                             decision_date=award.decision_date)
    return thong_bao_ket_qua_thang(district, plan, month, ranked, _month_reporting(campaign, snapshot),
                                   as_of=snapshot.as_of, award=decided, year=clock.today().year)


def _month_reporting(campaign: Campaign, snapshot: MonthSnapshot) -> MonthReporting:
    """The month's reports as its frozen standing counted them: as of its scoring date, and the findings of
    untruthful reports made before it was closed (a later one shows among the recalculations, as its −2 does)."""
    month = snapshot.month
    months, rows = submission_matrix(campaign, snapshot.as_of)
    column = months.index(month)
    found = set(Report.objects.filter(campaign=campaign, month=month, untruthful=True,
                                      untruthful_at__lte=snapshot.closed_at).values_list("unit_id", flat=True))
    owed = on_time = 0
    late, missing, untruthful = [], [], []
    for unit, cells in rows:
        cell = cells[column]
        if cell.state in ("not_required", "not_due"):
            continue
        owed += 1
        if cell.state == "on_time":
            on_time += 1
        elif cell.state == "late":
            late.append((unit.name, cell.days_late))
        elif cell.state == "pending":  # none yet, overdue: may still come as a late one
            missing.append(f"{unit.name} (quá hạn {cell.days_late} ngày)")
        elif cell.state == "missing":
            missing.append(unit.name)
        if unit.pk in found:
            untruthful.append(unit.name)
    rules = campaign.rubric.reports
    late_and_missing = format_report_penalties(rules.late_bands, rules.missing_points).rstrip(".")
    deductions = (f"{late_and_missing[:1].lower()}{late_and_missing[1:]}; báo cáo không trung thực trừ "
                  f"{format_int(-rules.untruthful_points)} điểm.")
    return MonthReporting(due=campaign.rubric.due_date(month), owed=owed, on_time=on_time, late=tuple(late),
                          missing=tuple(missing), untruthful=tuple(untruthful), deductions=deductions)


def render(doc: OfficialDocument, fmt: str) -> bytes:
    return render_docx(doc) if fmt == "docx" else render_pdf(doc)


def year_end_set(campaign: Campaign) -> list[tuple[str, OfficialDocument]]:
    record = _require_officials(campaign)
    meeting, to_trinh = _require_meeting(campaign), _signed_to_trinh(campaign)
    district = district_info(campaign, record)
    return year_end_dossier(
        district, plan_info(campaign, record), collective_proposals(campaign, district), ranked_units(campaign),
        meeting, as_of=campaign.rubric.campaign.end, to_trinh_number=to_trinh.number if to_trinh else None,
        to_trinh_date=to_trinh.signed_on if to_trinh else None, labels=criteria_labels(campaign),
        **_decision_args(campaign),
    )


def year_end_zip(campaign: Campaign) -> tuple[bytes, list[str]]:
    """Every year-end document as .docx and .pdf in one .zip; returns (bytes, file names)."""
    names = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for stem, doc in year_end_set(campaign):
            for fmt in ("docx", "pdf"):
                name = f"{stem}.{fmt}"
                zf.writestr(name, render(doc, fmt))
                names.append(name)
    return buf.getvalue(), names


