from django.urls import path

import thidua.core.converters  # noqa: F401  (registers <month:…>)
from thidua.portal import views

urlpatterns = [
    path("cong-dvc/nhap/", views.upload, name="portal-upload"),
    path("cong-dvc/nhap/<int:pk>/", views.preview, name="portal-preview"),
    path("cong-dvc/nhap/<int:pk>/don-vi/", views.map_unit, name="portal-map-unit"),
    path("cong-dvc/nhap/<int:pk>/cot/", views.map_headers, name="portal-map-headers"),
    path("cong-dvc/mau-cot/<int:pk>/ngung-dung/", views.deactivate_header_mapping,
         name="portal-header-mapping-deactivate"),
    path("cong-dvc/nhap/<int:pk>/xac-nhan/", views.confirm, name="portal-confirm"),
    path("cong-dvc/ten-don-vi/<int:pk>/doi/", views.change_unit_alias, name="portal-unit-alias-change"),
    path("cong-dvc/ten-don-vi/<int:pk>/quen/", views.forget_unit_alias, name="portal-unit-alias-forget"),
    path("cong-dvc/nhap/tien-do/<slug:token>/", views.job, name="portal-job"),
    path("cong-dvc/nhap/tien-do/<slug:token>/trang-thai/", views.job_status, name="portal-job-status"),
    path("cong-dvc/ho-so/<str:code>/<month:month>/", views.evidence, name="portal-evidence"),
]
