"""Open every page of a built documentation site in headless Chromium and list what is wrong with it.

A page is wrong when the browser logs an error (a missing image or script shows up as one), a script throws,
it asks for anything off this machine, an image does not load, a local link points at no file or no anchor,
or a formula did not typeset (KaTeX's error mark, math left as source, or LaTeX outside any formula).
"""

from __future__ import annotations

import concurrent.futures
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGE_REPORT = r"""() => ({
  brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src')),
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  ids: [...document.querySelectorAll('[id]')].map(e => e.id),
  math: document.querySelectorAll('span.math, div.math').length,
  untypeset: [...document.querySelectorAll('span.math, div.math')].filter(m => !m.querySelector('.katex')).length,
  katexErrors: [...document.querySelectorAll('.katex-error')].map(e => e.getAttribute('title') || e.textContent),
  rawLatex: (() => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('pre, code, script, style, .katex, .math').forEach(e => e.remove());
    return (body.textContent.match(/\$\$|\\(frac|text|left|right)\b/g) || []).slice(0, 3);
  })(),
})"""


def pages(site: Path) -> list[Path]:
    """Every HTML page of the site but the sources Sphinx copies beside it."""
    return sorted(p for p in site.rglob("*.html") if "_sources" not in p.parts and "_static" not in p.parts)


def check_site(site: Path, screenshots: dict | None = None) -> dict:
    """``{page: [problems]}`` for every page with a problem, and ``{"": [...]}`` for the site; empty when all is well.

    ``screenshots`` maps a page (relative to ``site``) to a PNG path to write. It runs on a thread of its own:
    Playwright's sync API refuses to start where an asyncio loop runs (one left by a Jupyter client, say).
    """
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(_check_site, site, screenshots).result()


def _check_site(site: Path, screenshots: dict | None) -> dict:
    from playwright.sync_api import sync_playwright

    site = Path(site).resolve()
    if not pages(site):
        raise FileNotFoundError(f"check_site: no HTML page under {site}")
    problems: dict[str, list[str]] = {}
    ids_of: dict[Path, set] = {}
    links_of: dict[Path, list] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for path in pages(site):
            seen: list[str] = []                  # a fresh tab per page: late events cannot land on the next one
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: seen.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: seen.append(f"script error: {e}"))
            page.on("requestfailed", lambda r: seen.append(f"failed to load {r.url}"))
            page.on("request", lambda r: seen.append(f"asked the network for {r.url}")
                    if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
            page.goto(path.as_uri(), wait_until="networkidle")
            page.wait_for_timeout(50)             # KaTeX typesets on DOMContentLoaded; let it finish
            report = page.evaluate(PAGE_REPORT)
            found = list(seen)
            found += [f"image does not load: {src}" for src in report["brokenImages"]]
            found += [f"formula not typeset by KaTeX: {e}" for e in report["katexErrors"]]
            found += [f"LaTeX shown as source, outside any formula: {t}" for t in report["rawLatex"]]
            if report["untypeset"]:
                found.append(f"{report['untypeset']} of {report['math']} formulas left as source")
            name = str(path.relative_to(site))
            if screenshots and name in screenshots:
                page.screenshot(path=str(screenshots[name]), full_page=False)
            if found:
                problems[name] = found
            ids_of[path] = set(report["ids"])
            links_of[path] = report["links"]
            page.close()
        browser.close()
    for path, links in links_of.items():
        for href in links:
            wrong = _broken_link(path, href, ids_of)
            if wrong:
                problems.setdefault(str(path.relative_to(site)), []).append(wrong)
    return problems


def _broken_link(page: Path, href: str, ids_of: dict) -> str | None:
    url = urlparse(href)
    if url.scheme in ("http", "https", "mailto"):
        return None                                 # an outside reference (a paper); the site never loads it
    if url.scheme not in ("", "file"):
        return None
    target = page if not url.path else (page.parent / unquote(url.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.exists():
        return f"broken link: {href}"
    if url.fragment and target in ids_of and unquote(url.fragment) not in ids_of[target]:
        return f"link to a missing anchor: {href}"
    return None
