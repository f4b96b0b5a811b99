from django.urls import path

from thidua.campaigns import views

urlpatterns = [
    path("phong-trao/cau-hinh/", views.campaign_settings, name="campaign-settings"),
]
