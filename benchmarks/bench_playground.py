"""The playground live: frames per second the page draws while the server trains, and the server's memory.

The server runs as ``ourdl playground`` in its own process; headless Chromium (Debian's
``chromium``, driven by Playwright) opens a 2-8-8-1 tanh network on 500 points, which
draws the 100 × 100 output surface and every unit's heatmap each frame, presses play
and counts the frames the page draws and the training steps between them. Reported:
frames per second, steps per frame, and the server's resident memory (now and peak).

    python benchmarks/bench_playground.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from harness import ROOT

STATE = "dataset=spirals&networkShape=8,8&points=500&percTrainData=50&batchSize=10&activation=tanh&learningRate=0.03"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _memory(pid: int) -> dict:
    """Resident memory now (VmRSS) and at its peak (VmHWM), in MB, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields


def measure(seconds: float) -> dict:
    """Start a server, open the page, play for ``seconds``; the page's frame rate, steps per frame, server memory."""
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen([sys.executable, "-c", "from ourdl.cli import main; main(['playground', '--port', '0', "
                               "'--no-browser'])"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        url = line.split("ourdl playground: ", 1)[1].split()[0]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{url}#{STATE}")
            page.wait_for_function("window.playground && window.playground.frames > 0")
            page.click("#play")
            time.sleep(2.0)  # warm-up: kernels compiled, the page's first layouts done
            start = page.evaluate("[performance.now(), window.playground.frames, window.playground.last.step]")
            time.sleep(seconds)
            end = page.evaluate("[performance.now(), window.playground.frames, window.playground.last.step, "
                                "window.playground.drawMs]")
            memory = _memory(server.pid)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    frames = end[1] - start[1]
    return {"fps": frames / ((end[0] - start[0]) / 1000), "steps_per_frame": (end[2] - start[2]) / max(frames, 1),
            "draw_ms": end[3], "rss_mb": memory["VmRSS"], "peak_mb": memory["VmHWM"], "console_errors": len(errors)}


def main(argv=None, quick: bool = False) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0 if quick else 10.0)
    args = parser.parse_args(argv if argv is not None else [])
    if shutil.which("chromium") is None:
        print("bench_playground: needs Debian's chromium (apt-get install chromium) and playwright; skipped")
        return
    result = measure(args.seconds)
    print(f"2-8-8-1 tanh, 500 points, 100x100 surface + every unit's heatmap, {args.seconds:.0f} s of play:")
    print(f"  page: {result['fps']:.1f} frames/s, {result['steps_per_frame']:.1f} training steps per frame, "
          f"{result['draw_ms']:.1f} ms drawing each frame")
    print(f"  server: {result['rss_mb']:.0f} MB resident now, {result['peak_mb']:.0f} MB at peak; "
          f"console errors: {result['console_errors']}")


if __name__ == "__main__":
    main(sys.argv[1:])
