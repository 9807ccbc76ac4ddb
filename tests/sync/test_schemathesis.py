"""No request the server's own OpenAPI schema allows makes it fail (5xx): schemathesis generates requests for
every operation of /openapi.json and sends them to the real server process, once as a signed-in instructor
(the token and the protocol header put on every case, so the handlers themselves run) and once as whatever
the generator made of the credentials (mostly none or garbage: the 401 / 426 / 422 paths).

Bounded: 25 examples per operation, no deadline (the machine is shared)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from app import wire
from tests.sync.harness import ServerProcess
from tests.sync.wire_district import add_user, assign_org, login, new_id, open_home

BOUNDED = settings(max_examples=25, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                          HealthCheck.function_scoped_fixture])
CREDENTIAL_HEADERS = ("authorization", wire.PROTOCOL_HEADER.lower())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    home: Path = tmp_path_factory.mktemp("schemathesis") / "server"
    factory = open_home(home)
    add_user(factory, "alice")
    assign_org(factory, "alice", new_id())
    factory.kw["bind"].dispose()
    with ServerProcess(home) as running:
        yield running


@pytest.fixture(scope="module")
def instructor_token(server: ServerProcess) -> str:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        return login(http, "alice", "schemathesis-laptop")


@pytest.fixture(scope="module")
def api_schema(server: ServerProcess) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


# Every operation of the schema, each its own case (test_every_operation_is_covered keeps the list whole).
OPERATIONS = (
    "GET /api/sync/v1/health", "POST /api/sync/v1/auth/login", "POST /api/sync/v1/auth/refresh",
    "POST /api/sync/v1/auth/logout", "GET /api/sync/v1/meta", "POST /api/sync/v1/push", "GET /api/sync/v1/pull",
    "HEAD /api/sync/v1/blobs/{sha256}", "GET /api/sync/v1/blobs/{sha256}", "POST /api/sync/v1/uploads",
    "HEAD /api/sync/v1/uploads/{upload_id}", "PATCH /api/sync/v1/uploads/{upload_id}", "POST /api/sync/v1/integrity",
    "POST /api/sync/v1/checksum",
)


def test_every_operation_is_covered(api_schema: Any) -> None:
    assert sorted(result.ok().label for result in api_schema.get_all_operations()) == sorted(OPERATIONS)


def _cases(api_schema: Any, label: str) -> Any:
    """Valid and invalid requests of one operation (schemathesis' positive and negative generation)."""
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label
    return st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))


def _signed_in(case: Any, token: str) -> None:
    """The hook of the authenticated run: a valid Bearer token and the protocol this client speaks."""
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in CREDENTIAL_HEADERS}
    headers["Authorization"] = f"Bearer {token}"
    headers[wire.PROTOCOL_HEADER] = str(wire.PROTOCOL_VERSION)
    case.headers = headers


def _no_server_error(case: Any, server: ServerProcess) -> None:
    response = case.call(base_url=server.url, timeout=60)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}\n"
        f"{case.as_curl_command()}\nserver log:\n{server.log_tail(30)}")


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_5xx_for_a_signed_in_instructor(label: str, api_schema: Any, server: ServerProcess,
                                           instructor_token: str) -> None:
    @BOUNDED
    @given(_cases(api_schema, label))
    def run(case: Any) -> None:
        _signed_in(case, instructor_token)
        _no_server_error(case, server)

    run()


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_5xx_without_valid_credentials(label: str, api_schema: Any, server: ServerProcess) -> None:
    @BOUNDED
    @given(_cases(api_schema, label))
    def run(case: Any) -> None:
        _no_server_error(case, server)

    run()


# The schema says only that an op's ``fields`` is an object, so generated pushes name entities the server
# does not know and stop at unsupported_entity.  Here: known entities with their own field names carrying
# any JSON value (the merge, the scope check, notice numbering and the blob check all run on them).
SCALARS = (st.none() | st.booleans() | st.integers(-2**40, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=20))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=5)


@st.composite
def known_entity_ops(draw: st.DrawFn) -> dict[str, Any]:
    entity = draw(st.sampled_from(sorted(wire.ENTITY_FIELDS)))
    names = draw(st.lists(st.sampled_from(wire.ENTITY_FIELDS[entity]), max_size=6, unique=True))
    fields = {name: draw(JSON) for name in names}
    return {"op_id": new_id(), "entity": entity, "id": draw(st.sampled_from([new_id(), "x"])),
            "op": draw(st.sampled_from(wire.OPS)), "scope": draw(st.sampled_from(["", "org:x", "party:y"])),
            "base_version": draw(st.integers(0, 5)), "fields": fields}


def test_no_5xx_for_pushes_of_known_entities_with_any_json_values(server: ServerProcess,
                                                                  instructor_token: str) -> None:
    headers = {"Authorization": f"Bearer {instructor_token}", wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}

    with httpx.Client(base_url=server.url, timeout=60) as http:
        @BOUNDED
        @given(st.lists(known_entity_ops(), min_size=1, max_size=4))
        def run(ops: list[dict[str, Any]]) -> None:
            answer = http.post(f"{wire.PREFIX}/push", headers=headers, json={"device_id": "d", "ops": ops})
            assert answer.status_code < 500, (
                f"{ops} -> {answer.status_code}: {answer.text[:300]}\n{server.log_tail(30)}")

        run()
