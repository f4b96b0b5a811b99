"""Year-end awards: the standing and the recorded list, the district officials, the meeting and
the dossier tracker. A campaign that is no longer applied (the next one is) still finishes its year-end here:
the list locked or reopened, the Quyết định's number, the documents' officials and meeting, the dossier's
signed items — its own objects, named by the address (?phong-trao=), as its Quyết định is often signed after
the new year has begun."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from thidua.awards import dossier, selectors
from thidua.awards.forms import DecisionNumberForm, DistrictOfficialsForm, MeetingForm, SignedForm
from thidua.awards.models import AwardMeeting, DossierItem
from thidua.awards.services import (
    MeetingData,
    award_meeting_update,
    district_officials_update,
    dossier_mark_signed,
    year_end_decision_record,
    year_end_list_record,
    year_end_list_reopen,
)
from thidua.awards.views.common import (
    campaign_redirect,
    campaign_shown,
    campaign_to_change,
    form_errors_as_messages,
    report_errors,
)
from thidua.units.permissions import reviewer_required, staff_view_required


@staff_view_required
def year_end(request):
    campaign = campaign_shown(request)
    standing = selectors.year_end_standing(campaign)
    recorded = selectors.proposals(campaign)
    counts: dict[int, int] = {}
    for n in selectors.nominations(campaign):
        counts[n.unit_id] = counts.get(n.unit_id, 0) + 1
    decision = selectors.year_end_decision(campaign)
    initial = {"decision_number": decision.number, "decision_date": decision.signed_on} if decision else {}
    return render(request, "awards/year_end.html", {
        "campaign": campaign, "standing": standing, "recorded": recorded, "counts": counts,
        "has_meeting": AwardMeeting.objects.filter(campaign=campaign).exists(),
        "decision": decision, "number_form": DecisionNumberForm(initial=initial),
        "changes": selectors.locked_list_changes(standing, recorded) if recorded else [],
        "issuer": dossier.district_info(campaign),
    })


@reviewer_required
@require_POST
def year_end_record(request):
    campaign = campaign_to_change(request, past_allowed=True)  # a campaign over finishes its year-end
    try:
        created = year_end_list_record(campaign=campaign, actor=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
        return campaign_redirect(request, "year-end")
    messages.success(request, f"Đã chốt danh sách đề nghị: {len(created)} tập thể.")
    return campaign_redirect(request, "dossier")


@reviewer_required
@require_POST
def year_end_reopen(request):
    campaign = campaign_to_change(request, past_allowed=True)  # a campaign over finishes its year-end
    try:
        removed = year_end_list_reopen(campaign=campaign, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, f"Đã mở lại danh sách đề nghị ({removed} tập thể). Có thể chốt lại sau khi "
                                  "kiểm tra số liệu.")
    return campaign_redirect(request, "year-end")


@reviewer_required
@require_POST
def year_end_decision(request):
    """Record the number and date of the signed year-end Quyết định (printed on it and on every Giấy khen)."""
    campaign = campaign_to_change(request, past_allowed=True)  # a campaign over finishes its year-end
    form = DecisionNumberForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return campaign_redirect(request, "year-end")
    try:
        decision = year_end_decision_record(campaign=campaign, number=form.cleaned_data["decision_number"],
                                            signed_on=form.cleaned_data["decision_date"], actor=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, f"Đã ghi số Quyết định khen thưởng cuối năm: {decision.number}.")
    return campaign_redirect(request, "year-end")


@reviewer_required
def district_officials(request):
    campaign = campaign_to_change(request, past_allowed=True)  # a campaign over finishes its year-end
    record = dossier.officials(campaign)
    info, plan = dossier.district_info(campaign, record), dossier.plan_info(campaign, record)
    found = None if record else dossier.default_issuer(campaign)  # the plan's own issuer, until one is entered
    initial = {"issuer_kind": record.issuer_kind if record else found[0] if found else "district",
               "chairman_name": info.chairman_name,
               "head_of_home_affairs_name": info.head_of_home_affairs_name,
               "district": info.district, "province": info.province, "plan_number": plan.number,
               "plan_date": plan.date, "plan_title": plan.title, "movement": plan.movement,
               "movement_short": plan.short, "legal_basis": "\n".join(plan.legal_basis)}
    if record is None and campaign.rubric.code != dossier.PLAN_211_CODE:
        # the names start blank: the demo district's (Plan 211's) are no start for another plan's issuer
        initial.update(chairman_name="", head_of_home_affairs_name="", district=info.district if found else "",
                       province=info.province if found else "")
    form = DistrictOfficialsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            district_officials_update(campaign=campaign, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            report_errors(request, exc, form)
        else:
            messages.success(request, "Đã lưu thông tin trên văn bản khen thưởng.")
            return campaign_redirect(request, "awards-home")
    help_text = None if record else ("Đang dùng tên mẫu và lời văn lấy từ bộ tiêu chí: hãy nhập tên thật, kiểm tra "
                                     "số, ngày, trích yếu kế hoạch và căn cứ pháp lý trước khi in văn bản.")
    return render(request, "awards/form.html", {"form": form, "title": "Thông tin trên văn bản khen thưởng",
                                                "help": help_text}, status=400 if request.method == "POST" else 200)


@reviewer_required
def award_meeting(request):
    campaign = campaign_to_change(request, past_allowed=True)  # a campaign over finishes its year-end
    record = AwardMeeting.objects.filter(campaign=campaign).first()
    if record is not None:
        initial = {f: getattr(record, f) for f in MeetingForm.base_fields}
    else:
        initial = dossier.default_meeting_initial(campaign)
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            award_meeting_update(campaign=campaign, actor=request.user, data=MeetingData(**form.cleaned_data))
        except ValidationError as exc:
            report_errors(request, exc, form)
        else:
            messages.success(request, "Đã lưu thông tin cuộc họp xét khen thưởng.")
            return campaign_redirect(request, "dossier")
    return render(request, "awards/form.html", {
        "form": form, "title": "Cuộc họp xét khen thưởng (cho Biên bản)",
        "help": None if record or campaign.rubric.code != dossier.PLAN_211_CODE
        else "Gợi ý từ dữ liệu mẫu: sửa lại theo cuộc họp thực tế rồi lưu.",
    })


@staff_view_required
def dossier_tracker(request):
    campaign = campaign_shown(request)
    return render(request, "awards/dossier.html", {
        "campaign": campaign, "rows": selectors.dossier_rows(campaign),
        "deadline": selectors.dossier_deadline(campaign), "nominees": selectors.dossier_nominees(campaign),
        "has_meeting": AwardMeeting.objects.filter(campaign=campaign).exists(), "sign_form": SignedForm(),
        "months": [r for r in selectors.monthly_overview(campaign) if r.award],
        "issuer": dossier.district_info(campaign),
    })


@reviewer_required
@require_POST
def dossier_sign(request, pk: int):
    campaign = campaign_to_change(request, past_allowed=True)  # a campaign over finishes its year-end
    item = get_object_or_404(DossierItem, pk=pk, proposal__campaign=campaign)
    form = SignedForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return campaign_redirect(request, "dossier")
    try:
        dossier_mark_signed(item=item, signed_on=form.cleaned_data["signed_on"], number=form.cleaned_data["number"],
                            actor=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, "Đã đánh dấu văn bản đã ký, nộp.")
    return campaign_redirect(request, "dossier")
