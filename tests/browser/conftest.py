"""Playwright (sync API) driving Debian's chromium against pytest-django's
live server. `playwright install` cannot download browsers here, so the
system chromium is used; when it is missing the tests fail, never skip."""
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from a thread with a running loop unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Package scope: Playwright's sync API keeps an event loop running in the test
# thread while it is open, and Django then keys its database connections by
# context instead of by thread; tests after this package would open a second,
# never-closed connection (PostgreSQL then refuses to drop the test database).
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: install Debian's chromium package (test.sh does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot when ARCHIVE_SCREENSHOT_DIR is set (for a
    human to look at the pages); otherwise do nothing."""
    directory = os.environ.get("ARCHIVE_SCREENSHOT_DIR")

    def take(page, name):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take


def nav_click(page, href):
    """Click the main menu's link to `href`, opening the 更多/管理 group that
    folds it first (templates/_nav.html keeps only the daily links in view).
    On a phone the whole menu folds behind the 菜单 button: it is pressed
    first, as a person would."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator(".main-nav details.nav-group", has=page.locator(f'a[href="{href}"]')).evaluate_all(
        "groups => groups.forEach(group => { group.open = true; })"
    )
    page.click(f'.main-nav a[href="{href}"]')
