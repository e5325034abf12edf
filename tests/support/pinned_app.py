"""The app for a test's own gunicorn servers, its clock pinned where the test run's is
(tests/support/clock.py, DIRECTORY_TEST_NOW), so the servers and the test agree on "now"."""

from __future__ import annotations

from flask import Flask

from directory import create_app as directory_app
from tests.support.clock import travel


def create_app() -> Flask:
    travel().start()  # in the worker, after the fork: gunicorn calls this there
    return directory_app()
