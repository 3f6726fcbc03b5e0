"""The page in headless Chromium against a real server: it plays, learns, takes controls, shares and exports."""

import os
import subprocess
import sys
import time

import pytest


def _open(browser, url):
    """A page at ``url`` with its console errors and every request it makes recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url)
    page.wait_for_function("window.playground && window.playground.ready && window.playground.frames > 0")
    return page


def _settings(page):
    return page.evaluate("window.playground.settings")


def _surface(page):
    return page.evaluate("document.getElementById('surface').toDataURL()")


def _only_local(page, server):
    base = server.url.split("?")[0]
    return [url for url in page.requests if not url.startswith(base)]


def test_play_learns_and_the_controls_rebuild_the_run(server, browser):
    page = _open(browser, server.url + "#dataset=gaussians&networkShape=3&points=200&learningRate=0.1")
    first_loss, first_surface = page.evaluate("window.playground.last.trainLoss"), _surface(page)
    page.click("#play")
    page.wait_for_function("window.playground.last.step > 150")
    page.click("#play")  # pause
    page.wait_for_function("!window.playground.playing")
    assert page.evaluate("window.playground.last.trainLoss") < first_loss
    assert _surface(page) != first_surface
    assert page.locator(".layer .unit").count() == 3

    page.select_option("#activation", "relu")
    page.wait_for_function("window.playground.settings.activations.every(a => a.name === 'relu')")
    page.click("[data-dataset=gaussians]")  # the selected set stays; change the problem's set
    page.click("#datasets button:not(.selected) >> nth=0")
    page.wait_for_function("window.playground.settings.dataset !== 'gaussians'")
    page.click("#add-layer")
    page.wait_for_function("window.playground.settings.networkShape.length === 2")
    page.wait_for_function("document.querySelectorAll('.layer').length === 2")
    page.locator(".layer[data-layer='1'] select").select_option("elu")
    page.wait_for_function("window.playground.settings.activations[1].name === 'elu'")
    page.locator(".layer[data-layer='1'] .params input").fill("0.5")
    page.locator(".layer[data-layer='1'] .params input").dispatch_event("change")
    page.wait_for_function("window.playground.settings.activations[1].text === 'elu(alpha=0.5)'")
    assert "activation=relu%3Belu%28alpha%3D0.5%29" in page.url

    shared = _open(browser, page.url)  # the address is the whole state
    assert _settings(shared) == _settings(page)
    assert page.errors == [] and shared.errors == []
    assert _only_local(page, server) == [] and _only_local(shared, server) == []
    page.close()
    shared.close()


def test_a_bad_address_gets_a_message_and_a_working_default_run(server, browser):
    page = _open(browser, server.url + "#learningRate=abc&networkShape=3")
    text = page.inner_text("#message")
    assert "learningRate" in text and "default run" in text
    assert _settings(page)["learningRate"] == 0.03
    page.fill("#seed", "-4")
    page.dispatch_event("#seed", "change")
    page.wait_for_function("document.getElementById('message').textContent.includes('setting seed')")
    assert _settings(page)["seed"] == 0
    page.close()


def test_lessons_and_the_problem_type_switch_the_run(server, browser):
    page = _open(browser, server.url)
    page.select_option("#presets", "relu-dies")
    page.wait_for_function("window.playground.settings.preset === 'relu-dies'")
    assert "ReLU units" in page.inner_text("#preset-watch")
    assert _settings(page)["dataset"] == "quadratic" and page.locator("#features .node").count() == 3
    page.select_option("#problem", "classification")
    page.wait_for_function("window.playground.settings.problem === 'classification'")
    assert _settings(page)["preset"] == "" and page.inner_text("#preset-watch") == ""
    assert page.errors == []
    page.close()


def test_hidden_controls_stay_hidden_and_closing_the_tab_frees_its_session(server, browser):
    page = _open(browser, server.url + "#noise_hide=true&dataset_hide=true&export_hide=true")
    assert not page.is_visible("#noise") and not page.is_visible("#datasets") and not page.is_visible("#export-script")
    assert page.is_visible("#batchSize") and page.is_visible("#play")
    assert "noise_hide=true" in page.url  # a shared link keeps them hidden
    assert len(server.sessions) == 1
    # freed by the page's closing beacon, or, where a busy browser drops the beacon, once its stream has ended and
    # the idle time has passed (shortened here from a minute)
    idle, server.sessions.idle = server.sessions.idle, 1.0
    try:
        page.close(run_before_unload=True)
        deadline = time.monotonic() + 10
        while len(server.sessions) and time.monotonic() < deadline:
            time.sleep(0.05)
            server.sessions.drop_idle()
    finally:
        server.sessions.idle = idle
    assert len(server.sessions) == 0


@pytest.mark.slow
def test_the_exported_script_repeats_the_page_run(server, browser, tmp_path):
    page = _open(browser, server.url + "#dataset=spirals&networkShape=4,4&points=160&optimizer=adam&batchSize=8")
    page.click("#step")
    page.click("#step")
    page.wait_for_function("window.playground.last.step === 20")
    with page.expect_download() as download:
        page.click("#export-script")
    path = tmp_path / "run.py"
    download.value.save_as(path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=120, check=True)
    loss = page.evaluate("window.playground.last.trainLoss")
    assert out.stdout.startswith(f"after 20 steps: training loss {loss:.6f}")
    page.close()
