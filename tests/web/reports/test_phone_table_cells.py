"""On a phone a table.stack row becomes one line per cell, «label … value», laid out as a flex row.

A cell whose value is more than one piece (a name then a badge, a date then a note) gave each piece
its own flex column: the name was squeezed to a letter a line, a badge stretched into a tall oval or
ran off the screen. Every such cell wraps its value in one element (`.cell`), checked here on the
pages a reporter and a leader read, on the demo with the clock inside the campaign.
"""

from __future__ import annotations

import lxml.html
import pytest

from thidua.demo import seed_demo
from thidua.units.models import User

INSIDE_THE_CAMPAIGN = "2021-12-16T09:00:00+07:00"
STACKED_CELLS = ("//table[contains(concat(' ', normalize-space(@class), ' '), ' stack ')]"
                 "/tbody/tr/*[self::td or self::th]")


def split_cells(html: str) -> list[tuple[str | None, str]]:
    """Stacked cells whose value is several flex items: text beside an element, or two elements."""
    found = []
    for cell in lxml.html.fromstring(html).xpath(STACKED_CELLS):
        table = next(cell.iterancestors("table"))
        if "ranking" in table.classes or "wide" in cell.classes:  # laid out as a grid, or label above value
            continue
        pieces = [child for child in cell if child.tag != "br"]
        pieces += [text for text in [cell.text] + [child.tail for child in cell] if text and text.strip()]
        if len(pieces) > 1:
            found.append((cell.get("data-label"), " ".join(cell.text_content().split())))
    return found


@pytest.fixture
def demo(db, settings):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    return seed_demo()


@pytest.mark.parametrize(("username", "path"), [
    ("x-tan-hoa", "/don-vi/"),
    ("x-tan-hoa", "/bao-cao/"),
    ("lanhdao", "/don-vi/TT-CAI-TAC/"),  # an untruthful report: two badges
    ("lanhdao", "/don-vi/X-NHON-NGHIA-A/"),  # a returned report: two badges
    ("lanhdao", "/khen-thuong/"),
    ("lanhdao", "/khen-thuong/hang-thang/2021-06/"),
    ("lanhdao", "/khen-thuong/hang-thang/2021-11/"),
    ("lanhdao", "/khen-thuong/cuoi-nam/"),
    ("lanhdao", "/tham-dinh/"),
    ("lanhdao", "/xep-hang/"),
])
def test_a_stacked_cell_holds_its_value_in_one_piece(demo, client, username, path):
    client.force_login(User.objects.get(username=username))
    response = client.get(path)
    assert response.status_code == 200
    assert split_cells(response.content.decode()) == []


def test_the_budget_total_is_labelled_once_on_a_phone(demo, client):
    client.force_login(User.objects.get(username="lanhdao"))
    html = client.get("/khen-thuong/").content.decode()
    [total] = lxml.html.fromstring(html).xpath("//tr[contains(@class, 'total')]")
    shown = [cell for cell in total if not {"empty-cell", "stack-hidden"} & set(cell.classes)]
    assert [(cell.get("data-label"), cell.text_content().strip()) for cell in shown] == [
        ("Tổng cộng", "28.000.000 đ")]
