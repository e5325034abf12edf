"""Contract test: schemathesis reads /api/openapi.json from a live server and calls every operation
with generated requests, valid and invalid: no 5xx, no undocumented status code, no body, header or
content type the description does not allow, valid input accepted and invalid input refused.

Run as schemathesis's own command (its pytest plugin does not run under this pytest), with a
bounded, deterministic budget so every CI run makes the same requests and stays quick.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from directory.interop.openapi import OPERATIONS
from tests.support.servers import serving

# Generated requests per operation and phase: enough to reach every parameter, few enough for each run.
BUDGET = 15
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_every_operation_keeps_to_its_description(app, tmp_path):
    with serving(app) as url:
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"{url}/api/openapi.json", "--max-examples", str(BUDGET),
             "--generation-deterministic", "--workers", "1"],
            cwd=tmp_path, capture_output=True, text=True, timeout=900, env={**os.environ, "NO_COLOR": "1"},
        )
    summary = run.stdout[run.stdout.rfind("SUMMARY"):]
    print(f"\n{summary}")
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
    assert f"Tested: {len(OPERATIONS)}" in summary and "passed" in summary
