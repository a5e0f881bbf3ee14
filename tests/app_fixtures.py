"""The application in-process, on the bundled data, for tests that need HTTP behaviour but no socket:
Flask's test client talks to it directly (its query processes are real)."""

from __future__ import annotations

import time

import pytest


@pytest.fixture(scope="session")
def app(project):
    from sec_kg.server import ServerConfig, load_nquads, make_app

    config = ServerConfig(reasoning=False, timeout=20)
    application = make_app(config, project, load_nquads(config, project), time.time())
    yield application
    application.extensions["sec_kg"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()
