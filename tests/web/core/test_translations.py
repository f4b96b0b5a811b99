"""Our Vietnamese wording of Django's own messages (thidua/locale): compiled, and in effect."""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.pofile import read_po

import thidua

CATALOG = Path(thidua.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def test_the_compiled_catalog_matches_its_source():
    """Edit the .po, then: .venv/bin/pybabel compile -d thidua/locale -D django -l vi"""
    with open(CATALOG / "django.po", "rb") as source:
        messages = [m for m in read_po(source) if m.id]
    with open(CATALOG / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    assert messages
    for message in messages:
        if isinstance(message.id, tuple):
            assert mo.ngettext(*message.id, 1) == message.string[0], message.id
        elif message.context:
            assert mo.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert mo.gettext(message.id) == message.string, message.id


def test_a_django_field_error_is_worded_by_our_catalog(db, client):
    from thidua.units.models import User

    client.force_login(User.objects.create_superuser("quantri", password="mat-khau-thu-nghiem"))
    response = client.post("/quan-tri/units/unit/add/", {"code": "X-MOI", "name": "Xã Mới", "level": "commune",
                                                         "sort_order": "abc", "active": "on"})
    html = response.content.decode()
    assert response.status_code == 200 and "Hãy nhập một số nguyên." in html and "số tổng thể" not in html
    assert "Vui lòng sửa các lỗi bên dưới." in html and "Please correct" not in html


def test_the_admin_speaks_vietnamese_where_django_does_not(db, client):
    from thidua.units.models import User

    client.force_login(User.objects.create_superuser("quantri", password="mat-khau-thu-nghiem"))
    html = client.get("/quan-tri/").content.decode()
    assert "Chuyển đến nội dung chính" in html and "Skip to main content" not in html
    assert "Đổi giao diện (hiện tại: tự động)" in html and "Toggle theme" not in html
