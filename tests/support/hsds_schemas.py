"""The official Open Referral HSDS 3.0 JSON schemas (vendored beside this file, see its README),
as validators for what /hsds/ answers."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = Path(__file__).parent / "hsds_schema"


@cache
def _registry() -> Registry:
    """Every schema under its file name, so their relative $refs ("phone.json") resolve."""
    resources = []
    for path in [*HERE.glob("*.json"), *HERE.glob("compiled/*.json")]:
        contents = json.loads(path.read_text())
        resources.append((str(path.relative_to(HERE)), Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one schema file ("service.json", "compiled/service_list.json"), formats checked."""
    schema = _registry().contents(name)
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


@cache
def page_validator() -> Draft202012Validator:
    """The standard's Page object (components.schemas.Page in its openapi.json), every field required."""
    page = json.loads((HERE / "openapi.json").read_text())["components"]["schemas"]["Page"]
    return Draft202012Validator({**page, "required": [*page["properties"], "contents"]},
                                format_checker=FormatChecker())


def errors(name: str, document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)]


@cache
def root_validator() -> Draft202012Validator:
    """What the standard's openapi.json says GET / answers."""
    spec = json.loads((HERE / "openapi.json").read_text())
    schema = spec["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "required": list(schema["properties"])}, format_checker=FormatChecker())
