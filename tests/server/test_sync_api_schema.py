"""Property test of the sync endpoints through their OpenAPI schema (schemathesis): whatever a signed-in
client sends to push, pull, blobs, uploads, integrity or checksum, the server answers without a server error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from tests.server.sync_helpers import assign_org, bearer, new_id

SYNC_PATHS = r"/(push|pull|blobs|uploads|integrity|checksum)"


@pytest.fixture
def signed_in(server_app: FastAPI, add_user: Callable[..., Any],
              sign_in: Callable[..., dict[str, Any]]) -> dict[str, str]:
    add_user("alice")
    assign_org(server_app, "alice", new_id())
    return bearer(sign_in("alice", "alice-pc"))


def test_the_sync_endpoints_never_answer_a_server_error(server_app: FastAPI, signed_in: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", server_app).include(path_regex=SYNC_PATHS)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9  # push, pull, HEAD/GET blobs, POST/HEAD/PATCH uploads, integrity, checksum
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def answers_without_a_server_error(case: Any) -> None:
            response = case.call(headers=signed_in)
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])

        answers_without_a_server_error()
