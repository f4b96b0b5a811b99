from django.urls import path

from thidua.campaigns import views

urlpatterns = [
    path("phong-trao/", views.campaign_list, name="campaign-list"),
    path("phong-trao/<int:pk>/ap-dung/", views.campaign_activate_view, name="campaign-activate"),
    path("phong-trao/cau-hinh/", views.campaign_settings, name="campaign-settings"),
]
