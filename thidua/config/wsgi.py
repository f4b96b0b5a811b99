"""WSGI entry point for production servers (gunicorn thidua.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.config.settings")
application = get_wsgi_application()
