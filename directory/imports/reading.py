"""A spreadsheet's bytes as rows of text: CSV (UTF-8, with or without a BOM, or Windows-1252)
or Excel .xlsx, read with openpyxl. Formulas are never run: a formula cell is reported, not read."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from directory.imports import layout

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000


class FileProblem(ValueError):
    """A file that cannot be read as a spreadsheet at all; the message says what to do."""


@dataclass
class Table:
    headers: list[str]
    # (row number as the spreadsheet shows it, header -> cell text)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    # (row number, header) of cells that held a formula
    formulas: list[tuple[int, str]] = field(default_factory=list)
    # (row number, header, message): what a feed held that the layout has no place for
    notes: list[tuple[int, str, str]] = field(default_factory=list)


def read(body: bytes, filename: str) -> Table:
    if len(body) > MAX_BYTES:
        raise FileProblem(f"The file is {len(body) / 1024 / 1024:.0f} MB; the most we can import at once is "
                          f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files.")
    if not body.strip():
        raise FileProblem("The file is empty. Download the template, fill it in and upload that.")
    if body.startswith(b"PK"):
        return _xlsx(body)
    if filename.lower().endswith((".xls", ".xlsx", ".ods", ".numbers", ".pdf", ".docx")) or b"\x00" in body[:4096]:
        raise FileProblem("That isn't a CSV or Excel (.xlsx) file. Save the spreadsheet as CSV or .xlsx and upload that.")
    return _csv(_decode(body))


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def _csv(text: str) -> Table:
    try:
        grid = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FileProblem(f"The file couldn't be read as CSV ({exc}). Save it again as CSV and upload that.") from exc
    return _table(grid, formulas=False)


def _xlsx(body: bytes) -> Table:
    try:
        book = load_workbook(io.BytesIO(body), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem("That isn't a CSV or Excel (.xlsx) file we can read. Save it as .xlsx or CSV and upload that.") from exc
    sheet = book.worksheets[0]
    grid: list[list[str]] = []
    for n, row in enumerate(sheet.iter_rows()):
        if n > MAX_ROWS + 1:
            break
        grid.append([_cell(c) for c in row])
    book.close()
    return _table(grid, formulas=True)


def _cell(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        return "\x00formula"  # marked, reported by _table, never evaluated
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(grid: list[list[str]], formulas: bool) -> Table:
    while grid and not any(c.strip() for c in grid[0]):
        grid.pop(0)
    if not grid:
        raise FileProblem("The file has no rows. Download the template, fill it in and upload that.")
    headers = [h.strip().lower().replace(" ", "_") for h in grid[0]]
    if "source_id" not in headers or "name" not in headers:
        raise FileProblem("The first row must be the header row, naming the columns (source_id, name, …) "
                          "as in the template. Download the template and copy your rows into it.")
    data = [(n, r) for n, r in enumerate(grid[1:], start=2) if any(c.strip() for c in r)]
    if len(data) > MAX_ROWS:
        raise FileProblem(f"The file has more than {MAX_ROWS:,} rows; the most we can import at once is "
                          f"{MAX_ROWS:,}. Split it into smaller files.")
    table = Table(headers)
    for n, cells in data:
        row = {}
        for header, cell in zip(headers, cells, strict=False):
            if not header:
                continue
            if formulas and cell == "\x00formula":
                table.formulas.append((n, header))
                cell = ""
            row[header] = layout.unescape(cell.strip())
        table.rows.append((n, row))
    return table
