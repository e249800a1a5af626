"""The course site: it builds from the committed notebooks with no warning, every internal link
resolves, and a real browser (Debian's chromium through Playwright) sees the home page, the
chapter navigation, a plot and a table."""

from __future__ import annotations

import functools
import re
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from coursekit import links, site
from coursekit.paths import ROOT, lectures

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    site.build(out / "html", staging=out / "src")  # raises on any warning
    return out / "html"


class Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def internal_targets(page: Path) -> list[str]:
    links = Links()
    links.feed(page.read_text())
    return [link for link in links.found if not re.match(r"^([a-z]+:|#|//)", link)]


def test_every_chapter_has_pages_and_every_internal_link_resolves(built):
    for lecture in lectures():
        assert (built / "notebooks" / f"{lecture.stem}.html").exists()
        assert (built / "chapters" / f"{lecture.stem}.html").exists()
    broken = []
    pages = [page for page in built.rglob("*.html") if "_static" not in page.parts]  # theme's
    for page in pages:
        for link in internal_targets(page):
            target = (page.parent / link.split("#")[0].split("?")[0]).resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(built)} -> {link}")
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:5]}"


def test_the_readmes_site_links_name_pages_the_build_makes(built):
    found = links.site_links((ROOT / "README.md").read_text())
    assert sorted(stem for _, stem in found) == [lecture.stem for lecture in lectures()]
    for _, stem in found:  # the published address is checked in tests/repository/test_links.py
        assert (built / "chapters" / f"{stem}.html").exists(), f"the build has no page for {stem}"


def test_a_browser_sees_the_navigation_a_plot_and_a_table(built, browser):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(built))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/index.html")
        nav = page.locator("nav.bd-docs-nav")
        for lecture in lectures():
            assert nav.locator(f"a[href*='chapters/{lecture.stem}']").count() == 1, lecture
        nav.locator(f"a[href*='chapters/{lectures()[0].stem}']").click()
        page.locator("a[href*='notebooks/'][href$='.html']").first.click()  # the lecture
        plots = page.locator("img[src$='.png']")
        plots.first.wait_for()
        widths = plots.evaluate_all("images => images.map(image => image.naturalWidth)")
        assert max(widths) > 100, widths  # a real picture, not a broken image
        assert page.locator("table").count() >= 1
    finally:
        server.shutdown()
        server.server_close()
