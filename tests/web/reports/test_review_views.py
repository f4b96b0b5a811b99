"""The reviewer's actions on a report (verify, return, untruthful) and the audit log they leave."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import submit
from thidua.core.models import AuditEvent
from thidua.core.templatetags.vn import points
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_result
from thidua.reports.services import report_mark_untruthful, report_return, report_verify

REASON = "Phúc tra: số hồ sơ báo cáo cao hơn danh sách trên Cổng DVC."


@pytest.fixture
def report(campaign, personas):
    return submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))


def card_of(campaign, code):
    return next(c for c in campaign_result(campaign).scorecards if c.code == code)


def test_verifying_writes_an_audit_event_with_actor_before_and_after(report, personas, client_for):
    rita = personas["reviewer"]
    response = client_for(rita).post(reverse("report-verify", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == ("verified", rita)
    event = AuditEvent.objects.get(action="report.verified")
    assert event.actor == rita
    assert (event.object_id, event.unit_code) == (str(report.pk), "X-TAN-HOA")
    assert event.before["status"] == "submitted"
    assert event.after["status"] == "verified"


def test_verifying_twice_is_refused_with_a_message(report, personas, client_for):
    client = client_for(personas["reviewer"])
    client.post(reverse("report-verify", args=[report.pk]))
    response = client.post(reverse("report-verify", args=[report.pk]), follow=True)
    assert "Báo cáo này đã được xác nhận." in response.content.decode()
    assert AuditEvent.objects.filter(action="report.verified").count() == 1


def test_returning_needs_a_reason(report, personas, client_for):
    client = client_for(personas["reviewer"])
    response = client.post(reverse("report-return", args=[report.pk]), {"reason": ""}, follow=True)
    assert "Vui lòng ghi lý do." in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert not AuditEvent.objects.filter(action="report.returned").exists()
    with pytest.raises(ValidationError):
        report_return(report=report, actor=personas["reviewer"], reason="  ")


def test_returning_records_the_reason_and_the_unit_sees_it(report, personas, client_for):
    rita = personas["reviewer"]
    client_for(rita).post(reverse("report-return", args=[report.pk]), {"reason": "Thiếu minh chứng tài khoản"})
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "Thiếu minh chứng tài khoản")
    event = AuditEvent.objects.get(action="report.returned")
    assert event.actor == rita
    assert (event.before["status"], event.after["status"]) == ("submitted", "returned")
    assert event.after["return_reason"] == "Thiếu minh chứng tài khoản"
    alice = client_for(personas["commune_reporter"])
    page = alice.get(reverse("report-detail", args=[report.pk]))
    assert "Thiếu minh chứng tài khoản" in page.content.decode()
    # the unit's home page and its list of reports say so, with the reason and a way to correct it
    home = alice.get(reverse("unit-dashboard")).content.decode()
    alert = home.split('data-testid="returned-reports"', 1)[1].split("</section>", 1)[0]
    assert "tháng 7/2021</strong>: Thiếu minh chứng tài khoản" in alert
    assert f'href="{reverse("report-submit", args=["2021-07"])}"' in alert
    assert '<span class="badge s-returned">Đã trả lại</span>' in home
    listing = alice.get(reverse("report-list")).content.decode()
    assert "Lý do trả lại: Thiếu minh chứng tài khoản" in listing


def test_marking_untruthful_takes_two_points_in_the_scorecard_and_the_ranking(campaign, report, personas,
                                                                          client_for):
    before = card_of(campaign, "X-TAN-HOA")
    response = client_for(personas["reviewer"]).post(reverse("report-untruthful", args=[report.pk]),
                                                     {"reason": REASON})
    assert response.status_code == 302
    after = card_of(campaign, "X-TAN-HOA")
    assert after.total == before.total - 2
    [penalty] = [p for p in after.penalties if p.kind == "untruthful"]
    assert (penalty.month, penalty.points) == ("2021-07", -2)

    leader = client_for(personas["leader"])
    dashboard = leader.get(reverse("unit-scorecard", args=["X-TAN-HOA"])).content.decode()
    assert "Tháng 7/2021: báo cáo không trung thực (−2)" in dashboard  # the engine's note, its month in words
    rankings = leader.get(reverse("rankings")).content.decode()
    row = rankings.split('data-code="X-TAN-HOA"', 1)[1].split("</tr>", 1)[0]
    shown = points(after.total)
    assert f'data-label="Tổng điểm">{shown}<' in row or f"<strong>{shown}</strong>" in row
    assert points(before.total) not in row.split('data-label="Tổng điểm"', 1)[1]


def test_marking_untruthful_needs_a_reason_of_ten_characters(report, personas, client_for):
    client = client_for(personas["reviewer"])
    response = client.post(reverse("report-untruthful", args=[report.pk]), {"reason": "sai số"}, follow=True)
    assert "ít nhất 10 ký tự" in response.content.decode()
    report.refresh_from_db()
    assert not report.untruthful
    assert not AuditEvent.objects.filter(action="report.marked_untruthful").exists()


def test_marking_untruthful_works_long_after_the_campaign(campaign, report, personas):
    rita = personas["reviewer"]
    report_verify(report=report, actor=rita)
    with override_settings(THIDUA_NOW="2022-03-15T10:00:00+07:00"):
        report_mark_untruthful(report=report, actor=rita, reason=REASON)
    report.refresh_from_db()
    assert report.untruthful and report.status == "verified"
    assert report.untruthful_at.date() == date(2022, 3, 15)
    event = AuditEvent.objects.get(action="report.marked_untruthful")
    assert event.actor == rita
    assert (event.before["untruthful"], event.after["untruthful"]) == (False, True)
    assert event.after["untruthful_reason"] == REASON
    assert [p.points for p in card_of(campaign, "X-TAN-HOA").penalties if p.kind == "untruthful"] == [-2]


def test_a_report_is_found_untruthful_only_once(report, personas):
    report_mark_untruthful(report=report, actor=personas["reviewer"], reason=REASON)
    with pytest.raises(ValidationError, match="đã bị kết luận không trung thực"):
        report_mark_untruthful(report=report, actor=personas["reviewer"], reason=REASON)


def test_only_a_reviewer_may_act_through_the_services(report, personas):
    for persona in ("commune_reporter", "leader"):
        with pytest.raises(PermissionDenied):
            report_verify(report=report, actor=personas[persona])
        with pytest.raises(PermissionDenied):
            report_mark_untruthful(report=report, actor=personas[persona], reason=REASON)
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_the_audit_log_lists_the_review_actions_for_the_reviewer_in_vietnamese(report, personas, client_for):
    rita = personas["reviewer"]
    report_return(report=report, actor=rita, reason="Thiếu minh chứng tài khoản")
    report_verify(report=report, actor=rita)
    report_mark_untruthful(report=report, actor=rita, reason=REASON)
    page = client_for(rita).get(reverse("audit-log"))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Nộp báo cáo", "Trả lại báo cáo", "Xác nhận báo cáo", "Kết luận báo cáo không trung thực"):
        assert f'<td data-label="Thao tác">{label}</td>' in html
    assert "report.returned" not in html.split("<tbody>", 1)[1]  # codes only as the filter's values
    assert '<option value="report.returned" >Trả lại báo cáo</option>' in html
    assert "Thiếu minh chứng tài khoản" in html
    # the data as labelled rows: what changed, before and after, then what did not by name; values in Vietnamese
    returned = html.split('<td data-label="Thao tác">Trả lại báo cáo</td>', 1)[1].split("</details>", 1)[0]
    assert ('<tr class="changed"><th scope="row">Tình trạng</th><td>Chờ thẩm định</td><td>Trả lại để bổ sung</td>'
            in returned)
    assert '<th scope="row">Không trung thực</th>' not in returned  # unchanged: named once, not listed
    unchanged = returned.split('<tr class="unchanged"><th scope="row">Không đổi</th><td colspan="2">', 1)[1]
    assert "Không trung thực" in unchanged.split("</td>", 1)[0]
    submitted = html.split('<td data-label="Thao tác">Nộp báo cáo</td>', 1)[1].split("</details>", 1)[0]
    assert '<th scope="row">Thời điểm nộp</th><td>20/07/2021 09:00</td>' in submitted
    assert '<th scope="row">Có kế hoạch</th><td>Có</td>' in submitted
    assert "submitted_at" not in submitted and "True" not in submitted and "2021-07-20" not in submitted
    filtered = client_for(rita).get(reverse("audit-log"), {"hanh_dong": "report.verified"}).content.decode()
    assert '<td data-label="Thao tác">Xác nhận báo cáo</td>' in filtered
    assert '<td data-label="Thao tác">Trả lại báo cáo</td>' not in filtered


def test_every_audited_action_has_a_vietnamese_name():
    """Every action code the services write (found in the source) is named on the audit log."""
    import ast
    from pathlib import Path

    import thidua
    from thidua.core.audit_display import ACTIONS

    found = set()
    for path in Path(thidua.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            calls = [c for c in ast.walk(func) if isinstance(c, ast.Call) and getattr(c.func, "id", None) == "audit"
                     and c.args]
            for call in calls:
                names = {n.id for n in ast.walk(call.args[0]) if isinstance(n, ast.Name)}
                sources = [call.args[0]] + [a.value for a in ast.walk(func) if isinstance(a, ast.Assign)
                                            and names & {n.id for t in a.targets for n in ast.walk(t)
                                                         if isinstance(n, ast.Name)}]
                found |= {c.value for s in sources for c in ast.walk(s)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str) and "." in c.value
                          and c.value.replace(".", "").replace("_", "").isalpha() and c.value.islower()}
    assert {"report.submitted", "report.corrected", "monthly_award.decided", "core.backup"} <= found
    assert sorted(found - set(ACTIONS)) == []


@pytest.mark.parametrize("persona", ["commune_reporter", "department_reporter", "leader", "outsider"])
def test_the_audit_log_is_forbidden_to_everyone_else(report, personas, client_for, persona):
    response = client_for(personas[persona]).get(reverse("audit-log"))
    assert response.status_code == 403
    assert "report.submitted" not in response.content.decode()


def test_the_untruthful_deduction_is_worded_from_the_rubric(campaign, report, personas, client_for):
    data = campaign.rubric_data
    data["reports"]["untruthful_points"] = -3
    campaign.rubric_data = data
    campaign.save()
    client = client_for(personas["reviewer"])
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "Kết luận báo cáo không trung thực (trừ 3 điểm)" in page and "Đơn vị sẽ bị trừ 3 điểm." in page
    done = client.post(reverse("report-untruthful", args=[report.pk]), {"reason": REASON}, follow=True)
    assert "Đã kết luận báo cáo không trung thực: đơn vị bị trừ 3 điểm." in done.content.decode()
    [penalty] = [p for p in card_of(campaign, "X-TAN-HOA").penalties if p.kind == "untruthful"]
    assert penalty.points == -3


@pytest.mark.django_db(transaction=True)  # the email goes once the review has committed, as in production
def test_a_returned_report_is_emailed_to_the_units_reporters(report, personas, client_for, smtp_server):
    from thidua.units.models import User

    User.objects.filter(username="alice").update(email="lan@tanhoa.example")
    response = client_for(personas["reviewer"]).post(reverse("report-return", args=[report.pk]),
                                                     {"reason": "Thiếu minh chứng tài khoản"}, follow=True)
    assert "Đã gửi email báo cho đơn vị (lan@tanhoa.example)." in response.content.decode()
    ((to, message),) = smtp_server.messages
    assert to == ["lan@tanhoa.example"]
    assert message["Subject"].strip() == ("Phòng Nội vụ huyện Châu Thành A trả lại báo cáo tháng 7/2021 của Xã Tân Hòa "
                                          "để bổ sung")
    body = message.get_content()
    assert "Phòng Nội vụ huyện Châu Thành A đã trả lại báo cáo tháng 7/2021 của đơn vị" in body
    assert "Lý do: Thiếu minh chứng tài khoản" in body
    assert "Điều chỉnh báo cáo tại: https://thidua.chauthanha.example/bao-cao/2021-07/nop/" in body


def test_an_untruthful_finding_is_emailed_with_the_deduction(report, personas, smtp_server,
                                                             django_capture_on_commit_callbacks):
    from thidua.units.models import User

    User.objects.filter(username="alice").update(email="lan@tanhoa.example")
    with django_capture_on_commit_callbacks(execute=True):
        report_mark_untruthful(report=report, actor=personas["reviewer"], reason=REASON)
    ((_, message),) = smtp_server.messages
    body = message.get_content()
    assert "kết luận báo cáo tháng 7/2021 của đơn vị không trung thực; đơn vị bị trừ 2 điểm." in body
    assert f"Căn cứ kết luận: {REASON}" in body
    assert f"Xem báo cáo tại: https://thidua.chauthanha.example/bao-cao/chi-tiet/{report.pk}/" in body


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_fails_does_not_undo_the_return(report, personas, smtp_settings, client_for, caplog):
    from thidua.units.models import User

    User.objects.filter(username="alice").update(email="lan@tanhoa.example")
    response = client_for(personas["reviewer"]).post(reverse("report-return", args=[report.pk]),  # no server
                                                     {"reason": "Thiếu minh chứng tài khoản"}, follow=True)
    assert ("Chưa gửi được email báo cho đơn vị (máy chủ từ chối kết nối); hãy báo cho đơn vị bằng cách khác."
            in response.content.decode())
    report.refresh_from_db()
    assert report.status == "returned" and AuditEvent.objects.filter(action="report.returned").exists()
    assert "could not email the reporters of X-TAN-HOA" in caplog.text


def test_the_report_page_names_each_actor_as_every_page_does(report, personas, client_for):
    """The versions and the history name a user by full name (họ tên), as the header, the audit log and the
    award pages do (User.display_name); an account with no name shows its user name, not «Hệ thống»."""
    alice, rita = personas["commune_reporter"], personas["reviewer"]
    alice.first_name, alice.last_name = "Thu", "Võ Thị"
    alice.save()
    rita.first_name = rita.last_name = ""
    rita.username = "noivu"
    rita.save()
    report_verify(report=report, actor=rita)

    page = client_for(personas["leader"]).get(reverse("report-detail", args=[report.pk])).content.decode()

    history = page[page.index("Lịch sử thao tác"):]
    assert "bởi Võ Thị Thu" in page
    assert "— Võ Thị Thu: Xã Tân Hòa: Nộp báo cáo tháng 7/2021" in history
    assert "— noivu: Xã Tân Hòa: xác nhận báo cáo tháng 7/2021" in history
    rita.first_name, rita.last_name = "Thanh Bình", "Nguyễn"
    rita.save()
    page = client_for(personas["leader"]).get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "— Nguyễn Thanh Bình: Xã Tân Hòa: xác nhận báo cáo tháng 7/2021" in page and "noivu" not in page


def test_a_unit_code_typed_in_lower_case_opens_its_pages_and_another_unit_stays_closed(campaign, personas, client_for):
    """The reporter's user name is the unit code in lower case; typed into an address it finds the unit."""
    reporter = client_for(personas["commune_reporter"])
    page = reporter.get(reverse("unit-scorecard", args=["x-tan-hoa"]))
    assert page.status_code == 200 and "Xã Tân Hòa" in page.content.decode()
    assert reporter.get(reverse("unit-scorecard", args=["tt-mot-ngan"])).status_code == 403
    assert reporter.get(reverse("unit-scorecard", args=["khong-co"])).status_code == 404


def test_the_reviewer_goes_on_to_the_next_report_waiting_in_the_matrix_s_order(campaign, report, personas,
                                                                               client_for):
    """After verifying one report, the page names the next one waiting (month, then the registry's order of
    units) and how many wait: the reviewer needs not go back to the matrix for each of them."""
    tan_hoa_aug = submit(campaign, personas["commune_reporter"], "2021-08", on=date(2021, 8, 20))
    mot_ngan_jul = submit(campaign, personas["other_commune_reporter"], "2021-07", on=date(2021, 7, 21))
    client = client_for(personas["reviewer"])
    order = sorted([report, tan_hoa_aug, mot_ngan_jul], key=lambda r: (r.month, r.unit.sort_order, r.unit.name))
    assert [r.month for r in order] == ["2021-07", "2021-07", "2021-08"]

    page = client.post(reverse("report-verify", args=[order[0].pk]), follow=True).content.decode()
    assert "Đã xác nhận báo cáo." in page
    assert (f'Báo cáo chờ thẩm định tiếp theo: <a href="{reverse("report-detail", args=[order[1].pk])}">'
            f"{order[1].unit.name} — tháng 7/2021</a> (còn 2 báo cáo khác chờ thẩm định).") in page
    page = client.get(reverse("report-detail", args=[order[2].pk])).content.decode()
    # the last in the order: back to the first still waiting
    assert f'tiếp theo: <a href="{reverse("report-detail", args=[order[1].pk])}">' in page
    client.post(reverse("report-verify", args=[order[1].pk]))
    page = client.post(reverse("report-verify", args=[order[2].pk]), follow=True).content.decode()
    assert "Không còn báo cáo nào khác chờ thẩm định." in page
    reporter_page = client_for(personas["commune_reporter"]).get(
        reverse("report-detail", args=[tan_hoa_aug.pk])).content.decode()
    assert 'data-testid="next-review"' not in reporter_page
