from django.urls import path

import thidua.core.converters  # noqa: F401  (registers <month:…>)
from thidua.reports.views import overview, reporter, review, standings

urlpatterns = [
    path("don-vi/", reporter.unit_dashboard, name="unit-dashboard"),
    path("don-vi/<str:code>/", reporter.unit_dashboard, name="unit-scorecard"),
    path("bao-cao/", reporter.report_list, name="report-list"),
    path("bao-cao/<month:month>/nop/", reporter.report_submit_view, name="report-submit"),
    path("bao-cao/<month:month>/xem-truoc/", reporter.report_preview, name="report-preview"),
    path("bao-cao/chi-tiet/<int:pk>/", review.report_detail, name="report-detail"),
    path("bao-cao/chi-tiet/<int:pk>/xac-nhan/", review.report_verify_view, name="report-verify"),
    path("bao-cao/chi-tiet/<int:pk>/tra-lai/", review.report_return_view, name="report-return"),
    path("bao-cao/chi-tiet/<int:pk>/khong-trung-thuc/", review.report_untruthful_view, name="report-untruthful"),
    path("bao-cao/chi-tiet/<int:pk>/huy-khong-trung-thuc/", review.report_untruthful_withdraw_view,
         name="report-untruthful-withdraw"),
    path("minh-chung/<int:pk>/", reporter.attachment_download, name="attachment-download"),
    path("ke-hoach/<int:pk>/", reporter.plan_file_download, name="plan-file-download"),
    path("tham-dinh/", review.review_matrix, name="review-matrix"),
    path("tham-dinh/nhac-nop/", review.reminders, name="report-reminders"),
    path("tham-dinh/nhap-thay/<str:code>/<month:month>/", review.report_enter, name="report-enter"),
    path("tong-quan/", overview.overview, name="overview"),
    path("xep-hang/", standings.rankings, name="rankings"),
    path("xep-hang/phan-dinh/", standings.tie_break_view, name="tie-break"),
    path("xep-hang/chot-thang/", standings.month_close_view, name="month-close"),
    path("cong-khai/", standings.public_leaderboard, name="public-leaderboard"),
]
