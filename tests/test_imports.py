"""Staff import listings from a spreadsheet: a preview of every change and every problem first,
then all of it or none of it; importing again changes only what changed; export reads back in."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from directory.extensions import db
from directory.imports import layout
from directory.models import ChangeRequest, ScheduleException, Service
from tests.support.forms import post
from tests.support.people import client_as

HEAD = "source_id,name,categories,town,postcode,sessions,organisation\r\n"
GOOD = HEAD + ("s1,Bury Dual Recovery,peer-support,Bolton,BL1 1QT,TH 19:00-20:30,Bury Mind\r\n"
               "s2,Wigan Family Group,families-carers,Lancaster,LA1 1NN,MO 18:00,\r\n")


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Service))


def _upload(staff, body: bytes, name: str = "listings.csv"):
    return post(staff, "/staff/imports/", {"file": (io.BytesIO(body), name)}, content_type="multipart/form-data")


def _preview(staff, body: bytes, name: str = "listings.csv") -> tuple[str, str]:
    response = _upload(staff, body, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    return path, staff.get(path).get_data(as_text=True)


def _imported(app, people):
    """Staff, once GOOD is previewed and imported."""
    staff = client_as(app, people, "staff")
    path, _ = _preview(staff, GOOD.encode())
    post(staff, path, token_from=path)
    return staff


def test_template_has_a_header_and_an_example_and_the_page_documents_every_column(app, people):
    staff = client_as(app, people, "staff")
    template = staff.get("/staff/imports/template.csv")
    lines = template.get_data(as_text=True).splitlines()
    assert lines[0].split(",") == list(layout.HEADERS) and len(lines) == 2
    page = staff.get("/staff/imports/").get_data(as_text=True)
    assert all(f"<code>{h}</code>" in page for h in layout.HEADERS)


def test_preview_then_import_then_the_same_file_again_changes_nothing(app, people):
    staff = client_as(app, people, "staff")
    before = _count(app)
    path, page = _preview(staff, GOOD.encode())
    assert "<strong>2</strong> new listings" in page and _count(app) == before, "nothing written by a preview"
    assert post(staff, path, token_from=path).status_code == 302
    assert _count(app) == before + 2
    assert "Bury Dual Recovery" in app.test_client().get("/search?q=dual+recovery+bury").get_data(as_text=True)
    with app.app_context():
        bury = db.session.scalar(select(Service).where(Service.source_id == "s1"))
        assert bury.organisation.name == "Bury Mind" and bury.imported_at is not None
        assert [(s.byday, f"{s.opens_at:%H:%M}") for s in bury.schedules] == [("TH", "19:00")]
        bury_id = bury.id
    assert "Imported from a spreadsheet (its id there: s1)" in staff.get(f"/manage/services/{bury_id}").get_data(as_text=True)
    assert post(staff, path, token_from=path).status_code == 302
    assert _count(app) == before + 2, "confirming twice imports nothing more"

    path, page = _preview(staff, GOOD.encode())
    assert "<strong>0</strong> new" in page and "<strong>2</strong> unchanged" in page
    changed = GOOD.replace("TH 19:00-20:30", "FR 19:00-20:30").replace("s2,Wigan Family Group,families-carers,Lancaster,LA1 1NN,MO 18:00,\r\n", "")
    path, page = _preview(staff, changed.encode())
    assert "<strong>1</strong> changed" in page and "sessions" in page
    assert "Wigan Family Group" in page.split('id="import-missing"')[1], "listed for staff to archive"
    post(staff, path, token_from=path)
    with app.app_context():
        assert db.session.scalar(select(Service.status).where(Service.source_id == "s2")) == "published", "never deleted"


def test_every_problem_at_once_and_nothing_written(app, people):
    staff = client_as(app, people, "staff")
    bad = HEAD + ("s1,Bury Dual Recovery,housng,Bury,,TH 19:00,\r\n"
                  "s1,Again,peer-support,Bury,,TH 25:00,\r\n"
                  "s3,,peer-support,Bury,,,\r\n"
                  "s4,Nowhere Group,peer-support,,BL9 9ZZ,,\r\n")
    path, page = _preview(staff, bad.encode("cp1252"))
    assert "Row 2, Types of support: &#39;housng&#39; is not a types of support code — did you mean housing?" in page
    assert "Row 3, Source id: &#39;s1&#39; is also on row 2" in page
    assert "Row 4, Name: every listing needs a name" in page
    assert "Row 5, Postcode: we couldn&#39;t find BL9 9ZZ" in page
    assert "Import " not in page.split("</h1>")[1].split("Download this report")[0] or "type=\"submit\"" not in page
    report = staff.get(path + "/report.csv").get_data(as_text=True)
    assert "did you mean housing?" in report.splitlines()[1] and report.splitlines()[0].endswith("import,problems")
    before = _count(app)
    post(staff, path, token_from=path)
    assert _count(app) == before, "an error anywhere: nothing imported"


def test_unreadable_files_get_a_clear_message(app, people):
    staff = client_as(app, people, "staff")
    for body, name, message in [
        (b"%PDF-1.4 \x00\x01", "listings.pdf", "isn&#39;t a CSV or Excel"),
        (b"name,town\r\nA,Bury\r\n", "x.csv", "The first row must be the header row"),
        (b"\xef\xbb\xbf" + GOOD.replace("organisation", "colour").encode(), "x.csv", None),
        (HEAD.encode() + b"s1,A,peer-support,Bury,,,\r\n" * 20_001, "big.csv", "more than 20,000 rows"),
    ]:
        response = _upload(staff, body, name)
        if message is None:  # read (the BOM is not part of the first header), then refused
            page = staff.get(response.headers["Location"]).get_data(as_text=True)
            assert "&#39;colour&#39; is not a column we know" in page
        else:
            assert message in response.get_data(as_text=True)
    too_big = _upload(staff, b"x" * (11 * 1024 * 1024))
    assert "The file is too big" in too_big.get_data(as_text=True)


def test_excel_formulas_are_never_run(app, people):
    book = Workbook()
    sheet = book.active
    sheet.append(["source_id", "name", "website"])
    sheet.append(["x1", "Formula Group", '=HYPERLINK("http://evil.example","click")'])
    body = io.BytesIO()
    book.save(body)
    staff = client_as(app, people, "staff")
    _, page = _preview(staff, body.getvalue(), "listings.xlsx")
    assert "Row 2, Website: this cell is a formula" in page


def test_export_reads_back_unchanged_and_escapes_formulas(app, people):
    staff = client_as(app, people, "staff")
    with app.app_context():
        service = db.session.get(Service, people.service_a.id)
        service.summary = "=HYPERLINK(\"http://evil.example\")"
        db.session.commit()
    exported = staff.get("/staff/imports/listings.csv").get_data()
    assert b"'=HYPERLINK(" in exported and b',=HYPERLINK(' not in exported
    path, page = _preview(staff, exported)
    assert "<strong>0</strong> new" in page and "<strong>0</strong> changed" in page, page.split("</h1>")[1][:3000]


def test_a_field_edited_here_goes_to_moderation_not_overwritten(app, people):
    staff = _imported(app, people)
    with app.app_context():
        bury = db.session.scalar(select(Service).where(Service.source_id == "s1"))
        bury.name = "Bury Dual Recovery (Tuesdays)"
        db.session.commit()
    path, page = _preview(staff, GOOD.replace("Bury Dual Recovery", "Bury Dual Recovery Group").encode())
    assert "waiting for you to check: name" in page
    post(staff, path, token_from=path)
    with app.app_context():
        bury = db.session.scalar(select(Service).where(Service.source_id == "s1"))
        assert bury.name == "Bury Dual Recovery (Tuesdays)"
        request = db.session.scalar(select(ChangeRequest).where(ChangeRequest.service_id == bury.id))
        assert request.changes == {"name": "Bury Dual Recovery Group"}
    path, page = _preview(staff, GOOD.replace("Bury Dual Recovery", "Bury Dual Recovery Group").encode())
    assert "<strong>2</strong> unchanged" in page, "the local edit stands while the source says the same"


def test_flask_import_shares_the_path(app, runner, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD.replace("peer-support", "housng"), encoding="utf-8")
    before = _count(app)
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code != 0 and "did you mean housing?" in result.output and _count(app) == before
    result = runner.invoke(args=["import", str(good)])
    assert result.exit_code == 0 and "2 new" in result.output and _count(app) == before + 2


def test_importing_again_keeps_an_unplaced_listing_pending_and_codes_in_any_order(app, people):
    staff = client_as(app, people, "staff")
    body = (HEAD + "u1,Somewhere Group,\"peer-support, education\",,BL9 9ZZ,,\r\n").encode()
    path, page = _preview(staff, body)
    assert "Row 2, Postcode: we couldn&#39;t find BL9 9ZZ" in page
    post(staff, path, token_from=path)
    with app.app_context():
        assert db.session.scalar(select(Service.status).where(Service.source_id == "u1")) == "pending"
    path, page = _preview(staff, body)
    assert "<strong>1</strong> unchanged" in page


def test_windows_1252_and_utf8_with_a_bom_read_the_same(app, people):
    staff = client_as(app, people, "staff")
    text = HEAD + "c1,Recovery Café – Lancaster,peer-support,Lancaster,LA1 1NN,,\r\n"
    for body in (text.encode("cp1252"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        _, page = _preview(staff, body)
        assert "<strong>1</strong> new" in page and "problem" not in page.split("</h1>")[1].split("Download this report")[0]
    path, _ = _preview(staff, text.encode("cp1252"))
    post(staff, path, token_from=path)
    with app.app_context():
        assert db.session.scalar(select(Service.name).where(Service.source_id == "c1")) == "Recovery Café – Lancaster"


def test_adding_a_time_keeps_the_cancelled_sessions_of_the_times_already_there(app, people):
    staff = _imported(app, people)
    with app.app_context():
        bury = db.session.scalar(select(Service).where(Service.source_id == "s1"))
        thursday = bury.schedules[0]
        thursday.exceptions.append(ScheduleException(original_date=thursday.dtstart, status="cancelled"))
        db.session.commit()
        thursday_id = thursday.id
    path, page = _preview(staff, GOOD.replace("TH 19:00-20:30", "TH 19:00-20:30; MO 10:00-11:00").encode())
    assert "<strong>1</strong> changed" in page
    post(staff, path, token_from=path)
    with app.app_context():
        bury = db.session.scalar(select(Service).where(Service.source_id == "s1"))
        kept = {s.byday: s for s in bury.schedules}
        assert set(kept) == {"TH", "MO"}
        assert kept["TH"].id == thursday_id and [e.status for e in kept["TH"].exceptions] == ["cancelled"]
