"""Awards URLs: /khen-thuong/… for the screens and documents, /xuat/… for spreadsheets."""

from django.urls import path, re_path

from thidua.awards.views import documents, exports, monthly, nominations, overview, year_end

urlpatterns = [
    path("khen-thuong/", overview.awards_home, name="awards-home"),
    re_path(r"^khen-thuong/hang-thang/(?P<month>\d{4}-\d{2})/$", monthly.monthly_award, name="monthly-award"),
    re_path(r"^khen-thuong/hang-thang/(?P<month>\d{4}-\d{2})/xem-xet/$", monthly.monthly_award_flag_answer,
            name="monthly-award-flag-answer"),
    re_path(r"^khen-thuong/hang-thang/(?P<month>\d{4}-\d{2})/so-quyet-dinh/$", monthly.monthly_award_decision_number,
            name="monthly-award-decision-number"),
    path("khen-thuong/cuoi-nam/", year_end.year_end, name="year-end"),
    path("khen-thuong/cuoi-nam/chot/", year_end.year_end_record, name="year-end-record"),
    path("khen-thuong/cuoi-nam/mo-lai/", year_end.year_end_reopen, name="year-end-reopen"),
    path("khen-thuong/cuoi-nam/so-quyet-dinh/", year_end.year_end_decision, name="year-end-decision"),
    path("khen-thuong/ho-so/", year_end.dossier_tracker, name="dossier"),
    path("khen-thuong/ho-so/<int:pk>/da-ky/", year_end.dossier_sign, name="dossier-sign"),
    path("khen-thuong/thong-tin-huyen/", year_end.district_officials, name="district-officials"),
    path("khen-thuong/cuoc-hop/", year_end.award_meeting, name="award-meeting"),
    path("khen-thuong/de-cu/", nominations.nominations, name="nominations"),
    path("khen-thuong/de-cu/<int:pk>/sua/", nominations.nomination_edit, name="nomination-edit"),
    path("khen-thuong/de-cu/<int:pk>/xoa/", nominations.nomination_remove, name="nomination-remove"),
    path("khen-thuong/van-ban/ho-so-cuoi-nam.zip", documents.year_end_zip, name="year-end-zip"),
    re_path(r"^khen-thuong/van-ban/(?P<kind>[a-z-]+)/(?P<key>[A-Za-z0-9-]+)\.(?P<fmt>docx|pdf)$",
            documents.document_download, name="document-download"),
    re_path(r"^xuat/(?P<name>[a-z-]+)\.(?P<fmt>xlsx|csv)$", exports.export, name="export"),
]
