"""The statistics page in a real browser: the charts draw (SVG with size),
break no Content-Security-Policy rule (no inline style or script), open
their data tables, and fit a phone's width without sideways scrolling."""
import pytest

from tests.lending import volume

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")


def csp_violations(page):
    reports = []
    page.on(
        "console",
        lambda message: reports.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return reports


@pytest.mark.parametrize("width", [1280, 390])
def test_statistics_page_draws_its_charts_and_tables(page, archivist, width):
    volume.records(12)
    page.set_viewport_size({"width": width, "height": 900})
    violations = csp_violations(page)
    log_in(page, "archivist")
    page.goto("/statistics/")
    holdings = page.locator('figure[data-chart="records.holdings"]')
    picture = holdings.locator("svg.chart__svg")
    box = picture.bounding_box()
    assert box is not None and 250 <= box["width"] <= width
    # The bar's number is in its <title> (the hover text screen readers read).
    assert "12" in picture.locator("rect.chart__bar title").first.text_content()
    assert not holdings.locator("table").is_visible()
    holdings.locator("summary").click()
    assert holdings.locator("table tbody td.num").first.is_visible()
    assert holdings.locator("table tbody td.num").first.text_content() == "12"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert violations == []


def test_home_page_summary_links_to_the_statistics(page, leadership):
    volume.records(3)
    log_in(page, "leader")
    page.goto("/")
    summary = page.locator('[data-panel="charts-summary"]')
    assert summary.locator("figure.chart").count() == 2
    summary.locator('a[href="/statistics/"]').click()
    page.wait_for_url("**/statistics/")
    assert page.locator("figure.chart").count() == 5
