"""URL map: one include per app, Vietnamese paths for what people type or share."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thidua.api import views as api_views
from thidua.core import views as core_views
from thidua.core.forms import SignInForm

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=SignInForm),
         name="login"),
    path("dang-xuat/", core_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", core_views.PasswordChangeView.as_view(), name="password-change"),
    path("tai-khoan/", core_views.profile, name="profile"),
    path("tai-khoan/ma-truy-cap-api/", api_views.api_tokens, name="api-tokens"),
    path("tai-khoan/ma-truy-cap-api/<int:pk>/thu-hoi/", api_views.api_token_revoke_view, name="api-token-revoke"),
    path("quen-mat-khau/", core_views.PasswordResetView.as_view(), name="password-reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(
        template_name="registration/quen_mat_khau_da_gui.html"), name="password-reset-sent"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", core_views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/dat_lai_mat_khau_xong.html"), name="password-reset-done"),
    path("nhat-ky/", core_views.audit_log, name="audit-log"),
    path("suc-khoe/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("huong-dan/", core_views.guide, name="guide"),
    path("", include("thidua.units.urls")),  # before reports: /don-vi/nhap/ is not the scorecard of a unit "nhap"
    path("", include("thidua.reports.urls")),
    path("", include("thidua.campaigns.urls")),
    path("", include("thidua.portal.urls")),
    path("", include("thidua.awards.urls")),
    path("api/", include("thidua.api.urls")),
    path("quan-tri/", admin.site.urls),
]

handler400 = "thidua.core.views.bad_request"
handler403 = "thidua.core.views.permission_denied"
handler404 = "thidua.core.views.page_not_found"
handler500 = "thidua.core.views.server_error"
