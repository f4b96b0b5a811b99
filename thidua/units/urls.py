from django.urls import path

from thidua.units import views

urlpatterns = [
    path("don-vi/nhap/", views.registry_import, name="units-import"),
    path("don-vi/nhap/<slug:token>/", views.registry_import_preview, name="units-import-preview"),
    path("don-vi/nhap/<slug:token>/xac-nhan/", views.registry_import_confirm, name="units-import-confirm"),
    path("don-vi/mau/<str:filename>", views.registry_template, name="units-import-template"),
    path("don-vi/danh-muc-hien-co.<str:fmt>", views.registry_export, name="units-export"),
    path("don-vi/tai-khoan-bao-cao/", views.reporter_accounts, name="units-reporter-accounts"),
    path("don-vi/tai-khoan-bao-cao/<int:pk>/dat-lai-mat-khau/", views.reporter_password_reset_view,
         name="units-reporter-password-reset"),
]
