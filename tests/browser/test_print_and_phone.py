"""What a leader prints (Ctrl+P) and what a phone shows, measured in the browser on the demo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INSIDE_THE_CAMPAIGN = "2021-12-16T09:00:00+07:00"
A4 = {"width": 794, "height": 1123}  # 210 × 297 mm in CSS pixels, as page.pdf() lays a page out (no margins)
A4_WITH_MARGINS = {"width": 718, "height": 1047}  # Ctrl+P's default margins: narrower than a phone's 720 px

OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('main table')].map(t => t.getBoundingClientRect().right)
        .filter(right => right > width + 1);
}"""


@pytest.mark.parametrize("paper", [A4, A4_WITH_MARGINS], ids=["a4", "a4-margins"])
def test_a_printed_ranking_keeps_every_column_on_the_paper_and_leaves_the_controls_out(
        demo, settings, new_page, login, shots_dir, paper):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(viewport=paper), "lanhdao")
    page.emulate_media(media="print")
    for path in ("/xep-hang/", "/tham-dinh/", "/khen-thuong/", "/don-vi/X-TAN-HOA/"):
        page.goto(path)
        assert page.evaluate(OVERFLOWING) == [], path  # was cut inside a scrolling box: «Tổng điểm» lost
        expect(page.locator("main :is(button, a.button, select):visible")).to_have_count(0)
    page.goto("/xep-hang/")
    total = page.locator('tr[data-code="TT-CAI-TAC"] td[data-label="Tổng điểm"]')
    expect(total).to_have_text("183")
    assert total.bounding_box()["x"] + total.bounding_box()["width"] <= paper["width"]
    header = page.locator('table[data-group="commune"] thead th').first
    expect(header).to_be_visible()  # a table with its header row on paper, not the phone's one card a unit
    page.screenshot(path=str(shots_dir / f"rankings-print-{paper['width']}.png"), full_page=True)


TABLET = {"width": 768, "height": 1024}  # a leader's tablet held upright
RANKING_FITS = """() => [...document.querySelectorAll('main table.ranking')].map(table => {
    const wrap = table.closest('.table-wrap'), names = [...table.querySelectorAll('td.unit')];
    return {group: table.dataset.group, hidden: wrap.scrollWidth - wrap.clientWidth,
            narrowest: Math.min(...names.map(td => td.getBoundingClientRect().width))};
})"""


@pytest.mark.parametrize("viewport", [TABLET, {"width": 1024, "height": 768}], ids=["upright", "sideways"])
def test_the_rankings_on_a_tablet_show_every_column_and_the_names_on_few_lines(
        demo, settings, new_page, login, shots_dir, viewport):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(viewport=viewport, has_touch=True), "lanhdao")
    page.goto("/xep-hang/")
    for table in page.evaluate(RANKING_FITS):
        assert table["hidden"] <= 1, table  # was 120 px: «Tổng điểm», the figure that ranks, off the right edge
        assert table["narrowest"] >= 130, table  # was 70 px: «Bộ / phận / tiếp / nhận / …» one word a line
    total = page.locator('tr[data-code="TT-CAI-TAC"] td[data-label="Tổng điểm"]')
    total.scroll_into_view_if_needed()
    expect(total).to_be_in_viewport()
    box = total.bounding_box()
    assert box["x"] + box["width"] <= viewport["width"]
    tied = page.locator('tr[data-code="X-TAN-HOA"]')
    expect(tied.locator("td.unit").get_by_text("bằng điểm")).to_be_visible()  # the tie still said, beside the name
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(shots_dir / f"rankings-tablet-{viewport['width']}.png"), full_page=True)


HIDDEN_COLUMNS = """() => [...document.querySelectorAll('main .table-wrap')]
    .map(wrap => [wrap.closest('section').querySelector('h2').innerText, wrap.scrollWidth - wrap.clientWidth])
    .filter(([, hidden]) => hidden > 1)"""


def test_the_overview_on_a_tablet_shows_every_column_of_its_tables(demo, settings, new_page, login, shots_dir):
    settings.THIDUA_NOW = INSIDE_THE_CAMPAIGN
    page = login(new_page(viewport=TABLET, has_touch=True), "lanhdao")
    page.goto("/tong-quan/")
    assert page.evaluate(HIDDEN_COLUMNS) == []  # were 213 and 151 px: the on-time rate off the edge, no hint
    on_time = page.locator('tr[data-group="commune"] td[data-label="Giải quyết đúng hạn"]')
    on_time.scroll_into_view_if_needed()
    box = on_time.bounding_box()
    assert box["x"] + box["width"] <= TABLET["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]
    page.screenshot(path=str(shots_dir / "overview-tablet.png"), full_page=True)
