"""The page in a real browser: Debian's chromium driven by Playwright. A
Dynatrace problem posted to the printed trigger URL shows up without a
reload (flag state, count, change history, recent body), and event names
that try to inject markup or a `javascript:` link show as text and run
nothing.

The browser is the system's (`scripts/install-test-deps.sh` installs it);
Playwright's own download is never used. Without it the tests skip, except
under CI=true, where they fail: CI must run them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="ldkit serve needs the serve extra")

from _serve_harness import make_root, request, start  # noqa: E402

CHROMIUM = Path(os.environ.get("LDKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 15_000

pytestmark = pytest.mark.slow

INJECTION = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
LINK_INJECTION = "[click me](javascript:window.__pwned=3)"


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run; see scripts/install-test-deps.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.is_file():
        _unavailable(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def server(tmp_path):
    running = start(
        make_root(tmp_path),
        tmp_path / "s.db",
        "--trigger",
        "integration=dynatrace,flag=checkout,environment=production,action=turnFlagOff",
        "--trigger",
        "integration=generic-trigger,flag=banner,environment=staging,action=turnFlagOn",
    )
    yield running
    assert running.stop() == 0


def test_a_problem_flips_the_flag_on_the_page_without_a_reload(browser, server):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.base + "/")
    page.wait_for_selector("table.flags", timeout=WAIT_MS)
    checkout = page.locator("table.flags tr", has_text="checkout")
    assert checkout.locator(".state").inner_text() == "on"

    dynatrace, generic = server.triggers
    body = {"title": "Memory resources exhausted", "url": "https://abc.live.dynatrace.com/#p"}
    assert request(dynatrace["triggerURL"], "POST", body).status == 200

    page.wait_for_selector("li.entry", timeout=WAIT_MS)
    assert checkout.locator(".state").inner_text() == "off"
    entry = page.locator("li.entry").first
    assert entry.locator(".title").inner_text() == (
        "Dynatrace trigger turned off the flag checkout in production"
    )
    link = entry.locator(".description a")
    assert link.inner_text() == "Memory resources exhausted"
    assert link.get_attribute("href") == "https://abc.live.dynatrace.com/#p"
    row = page.locator(f'table.triggers tr[data-trigger="{dynatrace["_id"]}"]')
    assert row.locator(".count").inner_text() == "1"
    assert (
        "Memory resources exhausted" in page.locator("section.recent pre.body").first.inner_text()
    )
    assert dialogs == []


def test_event_names_that_inject_markup_show_as_text_and_run_nothing(browser, server):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.base + "/")
    generic = server.triggers[1]
    hostile = {"eventName": INJECTION, "url": "javascript:window.__pwned=4"}
    assert request(generic["triggerURL"], "POST", hostile).json()["outcome"] == "applied"
    # Flip it back through the API so the second name is recorded too.
    patch = {"environmentKey": "staging", "instructions": [{"kind": "turnFlagOff"}]}
    assert server.api("PATCH", "/api/v2/flags/default/banner", patch).status == 200
    linked = {"eventName": LINK_INJECTION, "url": "https://example.com/ok"}
    assert request(generic["triggerURL"], "POST", linked).json()["outcome"] == "applied"

    page.locator("li.entry").nth(2).wait_for(timeout=WAIT_MS)
    descriptions = page.locator("li.entry .description").all_inner_texts()
    assert descriptions[0] == LINK_INJECTION
    assert descriptions[2] == INJECTION
    main = page.locator("main")
    assert main.locator("img").count() == 0
    assert main.locator("script").count() == 0
    hrefs = main.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["https://example.com/ok"]
    assert json.dumps(INJECTION) in page.locator("section.recent pre.body").all_inner_texts()[1]
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    for printed in server.triggers:
        assert printed["triggerURL"].rsplit("/", 1)[1] not in page.content()


def test_the_picture_shows_the_flag_over_time_and_every_call_with_its_outcome(browser, server):
    """Each call is a marker with its outcome, the API change a marker of its
    own, and the state line steps exactly where the flag moved."""
    page = browser.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if message.type == "error" else None,
    )
    page.goto(server.base + "/")
    dynatrace = server.triggers[0]["triggerURL"]
    problem = {"title": "Failure rate increase", "url": "https://abc.live.dynatrace.com/#p"}
    outcomes = [
        request(dynatrace, "POST", {"title": "Dynatrace problem notification test run"}),
        request(dynatrace, "POST", problem),
        request(dynatrace, "POST", problem),
    ]
    assert [o.json()["outcome"] for o in outcomes] == ["test-event", "applied", "no-change"]
    turn_on = [{"op": "replace", "path": "/environments/production/on", "value": True}]
    assert server.api("PATCH", "/api/v2/flags/default/checkout", turn_on).status == 200
    assert request(dynatrace, "POST", problem).json()["outcome"] == "applied"

    figure = page.locator('figure.flag-timeline[data-flag="checkout"]')
    figure.locator("svg g").nth(4).wait_for(timeout=WAIT_MS)
    markers = figure.locator("svg g")
    assert markers.evaluate_all("gs => gs.map(g => g.dataset.outcome)") == [
        "test-event",
        "applied",
        "no-change",
        "change",
        "applied",
    ]
    assert markers.evaluate_all("gs => gs.map(g => g.dataset.on)") == [
        "on",
        "off",
        "off",
        "on",
        "off",
    ]
    assert figure.locator("svg g.call").count() == 4
    assert figure.locator("svg").get_attribute("data-now") == "off"
    # The line starts on and steps at the three moves: off, on, off.
    line = figure.locator("path.state-line").get_attribute("d")
    assert [int(y) for y in re.findall(r"(?:M[\d.]+,|V)(\d+)", line)] == [22, 62, 22, 62]
    tooltips = markers.locator("title").evaluate_all("ts => ts.map(t => t.textContent)")
    assert "dynatrace call: test-event" in tooltips[0]
    assert "ldkit serve API token turned on the flag checkout in production" in tooltips[3]
    # Drawn, not just present: the markers have a size on screen.
    assert markers.nth(1).bounding_box()["width"] > 5

    calls = page.locator("section.recent[data-trigger] .outcome").all_inner_texts()
    newest_first = ["applied (flag off)", "no-change (flag off)", "applied (flag off)"]
    assert calls[:4] == [*newest_first, "test-event (flag on)"]
    assert not [text for text in blocked if "Content Security Policy" in text], blocked
