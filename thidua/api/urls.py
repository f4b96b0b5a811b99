"""Mounts the versioned API: /api/v1/…"""

from django.urls import path

from thidua.api.api import api

urlpatterns = [path("v1/", api.urls)]
