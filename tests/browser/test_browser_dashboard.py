"""The dashboard in a real browser (Debian's Chromium through Playwright), fully offline:
load, move levers, run, and check that the charts and the map change; no empty chart box
before a run, the backtest panels' titles clear of their ticks, the forecast controls and
the whole scenario title in view, screenshots of each state."""

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


# the ids of chart boxes on screen without a drawn chart (an empty white box)
EMPTY_BOXES = """() => [...document.querySelectorAll('.fig')]
  .filter(e => e.checkVisibility() && !e.querySelector('.main-svg')).map(e => e.id)"""
VISIBLE_BOXES = """() => [...document.querySelectorAll('.fig')]
  .filter(e => e.checkVisibility()).map(e => e.id)"""
# pairs of overlapping texts in the backtest chart: panel titles against tick labels, the
# legend and each other, and tick labels against each other
OVERLAPS = """() => {
  const root = document.getElementById('fig-backtests');
  const boxes = (sel) => [...root.querySelectorAll(sel)]
    .map(e => ({text: e.textContent, r: e.getBoundingClientRect()}))
    .filter(b => b.r.width > 0 && b.text);
  const titles = boxes('.annotation-text');
  const ticks = boxes('.xaxislayer-above text, .yaxislayer-above text');
  const legend = boxes('.legend .legendtext');
  const hit = (a, b) => a.r.left < b.r.right && b.r.left < a.r.right &&
    a.r.top < b.r.bottom && b.r.top < a.r.bottom;
  const bad = [];
  titles.forEach((t, i) => {
    for (const o of ticks.concat(legend, titles.slice(i + 1))) {
      if (hit(t, o)) bad.push(t.text + ' / ' + o.text);
    }
  });
  ticks.forEach((t, i) => {
    for (const o of ticks.slice(i + 1)) if (hit(t, o)) bad.push(t.text + ' / ' + o.text);
  });
  return {titles: titles.map(t => t.text), ticks: ticks.length, bad: bad};
}"""
# an element's box against the viewport: fully on screen without scrolling
IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""


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
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)

    page.goto(dashboard_url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_timeout(300)  # the favicon, the calibration and backtests load

    # before the first run: no empty chart box, a one-line placeholder instead
    page.screenshot(path=str(screenshot_dir / "dashboard-before-run.png"), full_page=True)
    assert page.evaluate(EMPTY_BOXES) == [], "empty chart boxes before the first run"
    assert page.evaluate(VISIBLE_BOXES) == []
    assert page.is_visible("#run-placeholder") and not page.is_visible("#totals")
    # the scenario's title whole, the Run button and the forecast tab above the fold
    title = page.inner_text("#scenario-title")
    assert title == page.evaluate(
        "document.getElementById('scenario').selectedOptions[0].textContent")
    assert page.evaluate("(() => { const e = document.getElementById('scenario-title'); "
                         "return e.scrollWidth <= e.clientWidth && "
                         "e.scrollHeight <= e.clientHeight + 1; })()"), "title cut"
    for sel in ("#scenario-title", "#run", "#tab-forecast", "#status"):
        assert page.evaluate(IN_VIEW, sel), f"{sel} is not in view"
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
    page.wait_for_timeout(500)  # resized to the opened panel
    assert page.locator("#fig-backtests .subplot").count() >= 7
    page.locator("#fig-backtests").screenshot(
        path=str(screenshot_dir / "dashboard-backtests.png"))
    overlaps = page.evaluate(OVERLAPS)
    assert len(overlaps["titles"]) >= 7 and overlaps["ticks"] > 20
    assert all(t.startswith("from ") for t in overlaps["titles"])
    assert not overlaps["bad"], f"overlapping texts in the backtests chart: {overlaps['bad']}"
    assert "cut at" in page.text_content("#fig-backtests .gtitle")
    page.click("#calibration summary")  # closed again
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
    assert page.evaluate(EMPTY_BOXES) == [], "empty chart boxes after the run"
    assert not page.is_visible("#run-placeholder")
    totals = page.inner_text("#totals")
    assert "expected deaths per 100,000 crossings" in totals
    assert "transferred to southern Mexico" in totals and "transferred_south" not in totals
    page.screenshot(path=str(screenshot_dir / "dashboard-after-run.png"), full_page=True)

    # a small forecast: its controls in view on their tab, the band chart appears with the
    # window's policy event labelled, the status gives the last month's band
    page.click("#tab-forecast")
    assert page.evaluate(IN_VIEW, "#forecast"), "the Forecast button is not in view"
    assert page.is_visible("#forecast-placeholder") and page.evaluate(EMPTY_BOXES) == []
    page.fill("#scale", "2000")
    page.fill("#fc-start", "2024-05")
    page.fill("#fc-months", "3")
    page.fill("#fc-runs", "2")
    page.click("#forecast")
    page.wait_for_selector("body[data-forecasts='1']", timeout=180_000)
    assert "Forecast done" in page.inner_text("#status") and "2024-07" in page.inner_text(
        "#status")
    assert page.locator("#fig-forecast .main-svg").count() >= 1
    assert page.evaluate(EMPTY_BOXES) == []
    assert page.evaluate(IN_VIEW, "#fig-forecast .gtitle")
    labels = " ".join(page.locator("#fig-forecast .annotation").all_text_contents())
    assert "Proclamation 10773" in labels, labels  # the 2024-06-05 event, in words
    page.screenshot(path=str(screenshot_dir / "dashboard-forecast.png"), full_page=True)

    shot = screenshot_dir / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    print(f"screenshot: {shot}")

    assert not outside, f"requests left {own}: {outside}"
    assert not failed, f"failed requests (favicon?): {failed}"
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
