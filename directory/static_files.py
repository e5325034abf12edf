"""Static files for a poor connection: each page links a fingerprinted name (site.3f2a1b9c0d1e.css)
that is cached for a year and never re-checked, served pre-compressed (brotli and gzip) by
WhiteNoise. Files the pages do not link by name (a module's imports, an image in the CSS) keep
their plain names with a day's cache. Pages themselves are compressed by Flask-Compress.

The fingerprinted, compressed copies are built once per content into the instance folder,
so a fresh clone needs no build step and a changed file gets a new name."""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from flask import Flask
from flask_compress import Compress
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

DAY = 24 * 3600


def _fingerprinted(name: str, data: bytes) -> str:
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{stem}.{digest}.{ext}" if dot and "/" not in ext else f"{name}.{digest}"


def _put(target: Path, data: bytes, compressor: Compressor) -> None:
    """Write a file and its compressed forms, unless this content is there already; atomic, so
    several processes starting at once never serve half a file."""
    if target.exists() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / target.name
        staged.write_bytes(data)
        made = [staged, *map(Path, compressor.compress(str(staged)) if compressor.should_compress(target.name) else [])]
        for path in reversed(made):  # the plain file last: it is what "already built" checks
            os.replace(path, target.parent / path.name)


@cache
def build(source: str, target: str) -> dict[str, str]:
    """Copy `source` to `target` with a fingerprinted twin of every file, both compressed; returns
    {name: fingerprinted name}."""
    compressor = Compressor(quiet=True)
    names: dict[str, str] = {}
    root, out = Path(source), Path(target)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        data = path.read_bytes()
        names[name] = _fingerprinted(name, data)
        _put(out / name, data, compressor)
        _put(out / names[name], data, compressor)
    return names


def init_app(app: Flask) -> None:
    Compress(app)
    assert app.static_folder is not None
    served = Path(app.instance_path) / "static"
    names = build(app.static_folder, str(served))
    immutable = {f"/static/{hashed}" for hashed in names.values()}

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app, root=str(served), prefix="static/", max_age=DAY,
        immutable_file_test=lambda path, url: url in immutable, add_headers_function=_guarded,
    )


def _guarded(headers, path: str, url: str) -> None:
    """WhiteNoise answers before Flask, so the site's after_request headers never reach static
    files: a file is never sniffed as another type, and one opened on its own (an SVG, say) runs nothing."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"
