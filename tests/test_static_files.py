"""A poor connection: pages are compressed, and the files they link are fingerprinted, compressed
and cached for a year, so a second page view downloads only the HTML."""

from __future__ import annotations

import gzip
import re

import brotli

from directory import static_files


def test_pages_are_sent_compressed_with_brotli_or_gzip(client):
    br = client.get("/glossary", headers={"Accept-Encoding": "br, gzip"})
    assert br.headers["Content-Encoding"] == "br" and "Words explained" in brotli.decompress(br.data).decode()
    gz = client.get("/glossary", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and "Words explained" in gzip.decompress(gz.data).decode()
    assert "Content-Encoding" not in client.get("/glossary").headers


def test_linked_files_are_fingerprinted_compressed_and_cached_for_a_year(client):
    html = client.get("/search").get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert linked and all(re.search(r"\.[0-9a-f]{12}\.(css|mjs|js)$", url) for url in linked), linked
    for url in linked:
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"])[1]) >= 365 * 24 * 3600
        assert response.headers["Content-Encoding"] == "br"


def test_a_changed_file_gets_a_new_name(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black; }" * 50)
    first = static_files.build(str(source), str(tmp_path / "out"))["css/site.css"]
    (source / "css" / "site.css").write_text("body { color: blue; }" * 50)
    second = static_files.build(str(source), str(tmp_path / "out2"))["css/site.css"]
    assert first != second and first.startswith("css/site.") and first.endswith(".css")
    assert (tmp_path / "out" / first).read_text().startswith("body { color: black")
    assert (tmp_path / "out" / f"{first}.br").exists() and (tmp_path / "out" / f"{first}.gz").exists()


def test_static_files_carry_the_sites_safety_headers(client):
    html = client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert "default-src 'none'" in headers["Content-Security-Policy"], url
