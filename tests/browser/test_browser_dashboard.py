"""The dashboard in a real browser (Debian's Chromium through Playwright), fully offline:
load, move levers, run, and check that the charts and the map change."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

ENC_RUN = """() => {
  const gd = document.getElementById('fig-encounters');
  const t = gd.data.find(d => d.name === 'with your levers');
  return JSON.stringify(t.y);
}"""
MAP_SVG = "() => document.querySelector('#fig-map .main-svg').innerHTML"
SET_RANGE = """([id, v]) => {
  const el = document.getElementById('lever-' + id);
  el.value = String(v);
  el.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def _run(page, n: int) -> None:
    page.click("#run")
    page.wait_for_selector(f"body[data-runs='{n}']", timeout=120_000)


def test_dashboard_run_changes_charts_and_map(browser, dashboard_url, screenshot_dir):
    own = urlsplit(dashboard_url).netloc
    outside: list[str] = []
    csp_errors: list[str] = []
    page_errors: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  service_workers="block")

    def route(r):
        if urlsplit(r.request.url).netloc == own:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: csp_errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("request", lambda r: None if urlsplit(r.url).netloc == own
            or r.url.startswith(("data:", "blob:")) else outside.append(r.url))

    page.goto(dashboard_url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    # the shipped calibration's fit, read from the package (nothing run)
    page.wait_for_selector("#calib tbody tr", state="attached", timeout=10_000)
    assert page.locator("#calib tbody tr").count() >= 10
    assert "MAPE" in page.evaluate("document.querySelector('#calib tbody').textContent")
    # and its backtests: the summary table and one chart panel per origin
    page.wait_for_selector("#backtest-summary tbody tr", state="attached", timeout=10_000)
    assert page.locator("#backtest-summary tbody tr").count() >= 4
    assert "ETS" in page.evaluate(
        "document.querySelector('#backtest-summary tbody').textContent")
    page.click("#calibration summary")
    page.wait_for_selector("#fig-backtests .main-svg", timeout=10_000)
    assert page.locator("#fig-backtests .subplot").count() >= 7
    page.screenshot(path=str(screenshot_dir / "dashboard-backtests.png"), full_page=True)
    page.fill("#start", "2023-01")
    page.fill("#end", "2023-08")
    page.fill("#scale", "400")

    _run(page, 1)  # baseline settings
    assert "Done" in page.inner_text("#status")
    enc0, map0 = page.evaluate(ENC_RUN), page.evaluate(MAP_SVG)
    assert page.locator("#fig-map .scatterlayer .trace").count() > 20

    page.evaluate(SET_RANGE, ["mx_staff_south", 5])
    page.evaluate(SET_RANGE, ["mx_staff_north", 5])
    page.check("#lever-mx_visa_venezuela")
    assert page.locator(".control.changed").count() == 3
    _run(page, 2)
    assert "mx_checkpoint_staff" in page.inner_text("#status")
    enc1, map1 = page.evaluate(ENC_RUN), page.evaluate(MAP_SVG)
    assert enc1 != enc0, "the encounters chart did not change"
    assert map1 != map0, "the map did not change"
    assert page.locator("#totals tbody tr").count() >= 2
    for fig in ("encounters", "map", "sectors", "mexico", "deaths"):
        assert page.locator(f"#fig-{fig} .main-svg").count() >= 1, fig

    # a small forecast: the band chart appears, the status gives the last month's band
    page.fill("#scale", "2000")
    page.fill("#fc-months", "2")
    page.fill("#fc-runs", "2")
    page.click("#forecast")
    page.wait_for_selector("body[data-forecasts='1']", timeout=180_000)
    assert "Forecast done" in page.inner_text("#status") and "2024-03" in page.inner_text(
        "#status")
    assert page.locator("#fig-forecast .main-svg").count() >= 1

    shot = screenshot_dir / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot: {shot}")

    assert not outside, f"requests left {own}: {outside}"
    assert not page_errors, page_errors
    assert not csp_errors, csp_errors
    context.close()


def test_bad_request_shows_clear_message(browser, dashboard_url):
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc
                  == urlsplit(dashboard_url).netloc else r.abort())
    page = context.new_page()
    page.goto(dashboard_url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.fill("#start", "2020-01")
    page.fill("#end", "2019-01")
    page.click("#run")
    page.wait_for_selector("#status.error", timeout=10_000)
    assert "end 2019-01 is before start 2020-01" in page.inner_text("#status")
    context.close()
