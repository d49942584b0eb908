"""Schema-driven fuzzing of the API from its own OpenAPI document (schemathesis).

Every generated request, valid or not, must get a documented status (never a 5xx) and a body
that matches the documented schema for that status.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation import GenerationMode

from server.app import create_app
from tests.conftest import make_config

REQUESTS_PER_ENDPOINT = 1000
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)

# In-process cache: fuzzing checks the API's answers, not Redis (tested elsewhere).
APP = create_app(make_config(rate_limit="1000000/minute", memory_cache_size=64))
SCHEMA = schemathesis.openapi.from_wsgi("/v1/openapi.json", APP)
OPERATIONS = [("POST", "/v1/annotate"), ("GET", "/v1/outlets/{target}")]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[p for _, p in OPERATIONS])
def test_every_generated_request_gets_a_documented_answer(method, path):
    operation = SCHEMA[path][method]
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=REQUESTS_PER_ENDPOINT,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def fuzz(case):
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    fuzz()
