"""Staff download the import template, upload a file with two bad rows, see both errors with their
row and column, put them right, import, and find the new listings on /search."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import screenshot, served
from tests.browser.test_staff_listings import _no_axe_violations, _sign_in
from tests.support.factories import UserFactory

pytestmark = pytest.mark.browser


def _staff(app):
    UserFactory(email="importer@example.org", name="Kim", role="staff")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory, "imports-db", _staff) as (url, _):
        yield url


def test_staff_fix_two_bad_rows_then_import_and_find_the_listings(page, site, tmp_path):
    _sign_in(page, site, "importer@example.org")
    page.goto(f"{site}/staff/imports/")
    _no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the blank template (CSV)").click()
    header, example = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))[0:1] * 2
    rows = [
        {**example, "source_id": "lancs-1", "name": "Lancaster Recovery Circle", "town": "Lancaster", "postcode": "LA1 1NN",
         "categories": "housng"},
        {**example, "source_id": "lancs-2", "name": "Lancaster Family Evening", "town": "Lancaster", "postcode": "LA1 1XF",
         "categories": "families-carers", "sessions": "TH 25:00"},
    ]

    def upload(rows) -> None:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(example))
        writer.writeheader()
        writer.writerows(rows)
        path = tmp_path / "listings.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        page.goto(f"{site}/staff/imports/")
        page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(str(path))
        page.get_by_role("button", name="Upload and preview").click()
        page.wait_for_selector("h1:has-text('Check the import')")

    upload(rows)
    errors = page.locator("#import-errors li").all_inner_texts()
    assert errors[0].startswith("Row 2, Types of support: 'housng' is not") and "did you mean housing?" in errors[0]
    assert errors[1].startswith("Row 3, Sessions: 'TH 25:00'")
    assert page.get_by_role("button", name="Import").count() == 0, "nothing can be imported while a row has an error"
    screenshot(page, "import-two-errors")

    rows[0]["categories"], rows[1]["sessions"] = "housing", "TH 19:00-20:30"
    upload(rows)
    assert page.locator("#import-errors").count() == 0
    assert "2 new listings" in page.locator("#import-counts").inner_text()
    page.get_by_role("button", name="Import 2 listings").click()
    page.wait_for_selector("text=Imported: 2 new")

    page.goto(f"{site}/search?q=lancaster")
    assert page.get_by_text("Lancaster Recovery Circle").count() >= 1
    assert page.get_by_text("Lancaster Family Evening").count() >= 1
