"""The canned-query API against its own description: /openapi.json is a valid OpenAPI document, and
schemathesis, through the WSGI app in-process, finds no 5xx and no answer that breaks what it declares
(a few derandomised examples per operation, so the run stays short)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

EXAMPLES = 3


def test_openapi_document_is_valid(client):
    validate(client.get("/openapi.json").get_json())


@pytest.mark.slow  # schemathesis: about 4 s
def test_api_conforms_to_its_description(app):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:  # one hypothesis run per operation, each derandomised and small

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case):
            case.call_and_validate()

        conforms()
