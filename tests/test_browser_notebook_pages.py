"""Each notebook's page in a real browser (tests/browser.py, check_page): no console errors and
no failed requests, every image loads and has alt text, every internal link and anchor resolves,
the first view is within its weight budget, and an axe-core audit finds no serious or critical
violations. The other pages are in test_browser_pages.py: two files, so two test workers."""

from __future__ import annotations

import pytest

from tests.browser import check_page, toc_pages


@pytest.mark.parametrize("doc", toc_pages(notebooks=True))
def test_page_loads_cleanly_with_images_links_and_no_serious_axe_violations(site, browser, doc):
    check_page(site, browser, doc)
