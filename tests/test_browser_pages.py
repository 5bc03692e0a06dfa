"""Every page of the table of contents that is not a notebook's, in a real browser
(tests/browser.py, check_page): no console errors and no failed requests, every image loads and
has alt text, every internal link and anchor resolves, the first view is within its weight
budget, an axe-core audit finds no serious or critical violations, and at 375 px nothing
scrolls the page sideways and the figures with a narrow layout show it, readable. The notebooks'
pages are in test_browser_notebook_pages.py (each page a unit of work of its own for the test
workers: conftest.py)."""

from __future__ import annotations

import pytest

from tests.browser import check_page, toc_pages


@pytest.mark.parametrize("doc", toc_pages(notebooks=False))
def test_page_loads_cleanly_with_images_links_and_no_serious_axe_violations(site, browser, doc):
    check_page(site, browser, doc)
