"""Blobs and resumable uploads: resume at the server's offset, corrupt -> 422 and restart, dedup, download rights."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import wire
from server.config import Settings
from tests.server.sync_helpers import assign_org, bearer, complete, new_id, op, push_one

ORG_A, ORG_B = new_id(), new_id()
CONTENT = bytes(range(256)) * 40  # 10 KiB
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def pairs(server_app: FastAPI, add_user: Callable[..., Any],
          sign_in: Callable[..., dict[str, Any]]) -> dict[str, dict[str, Any]]:
    add_user("alice")
    add_user("carol")
    assign_org(server_app, "alice", ORG_A)
    assign_org(server_app, "carol", ORG_B)
    return {name: sign_in(name, f"{name}-pc") for name in ("alice", "carol")}


def _start(client: TestClient, pair: dict[str, Any], sha: str = SHA, size: int = len(CONTENT)) -> dict[str, Any]:
    answer = client.post(f"{wire.PREFIX}/uploads", headers=bearer(pair),
                         json={"sha256": sha, "size": size, "mime": "image/jpeg"})
    assert answer.status_code == 200, answer.text
    state: dict[str, Any] = answer.json()
    return state


def _send(client: TestClient, pair: dict[str, Any], upload_id: str, offset: int, chunk: bytes) -> Any:
    return client.patch(f"{wire.PREFIX}/uploads/{upload_id}", content=chunk,
                        headers={**bearer(pair), wire.OFFSET_HEADER: str(offset)})


def _upload(client: TestClient, pair: dict[str, Any], content: bytes = CONTENT) -> None:
    started = _start(client, pair, hashlib.sha256(content).hexdigest(), len(content))
    if not started["complete"]:
        assert _send(client, pair, started["upload_id"], 0, content).json()["complete"]


def test_an_interrupted_upload_resumes_at_the_servers_offset(client: TestClient, settings: Settings,
                                                             pairs: dict[str, Any]) -> None:
    alice = pairs["alice"]
    started = _start(client, alice)
    assert (started["offset"], started["complete"]) == (0, False)
    upload_id = started["upload_id"]
    assert _send(client, alice, upload_id, 0, CONTENT[:4000]).json()["offset"] == 4000
    # The connection dropped: the client asks where to go on (HEAD), and the same POST finds the same session.
    head = client.head(f"{wire.PREFIX}/uploads/{upload_id}", headers=bearer(alice))
    assert head.headers[wire.OFFSET_HEADER] == "4000"
    assert _start(client, alice) == {"upload_id": upload_id, "offset": 4000, "size": len(CONTENT), "complete": False}
    stale = _send(client, alice, upload_id, 0, CONTENT[:4000])
    assert stale.status_code == 409 and stale.json()["offset"] == 4000 and stale.headers[wire.OFFSET_HEADER] == "4000"
    done = _send(client, alice, upload_id, 4000, CONTENT[4000:])
    assert done.status_code == 200 and done.json() == {"upload_id": upload_id, "offset": len(CONTENT),
                                                       "size": len(CONTENT), "complete": True}
    stored = settings.blobs_dir / SHA[:2] / SHA
    assert stored.read_bytes() == CONTENT
    assert not list(settings.uploads_dir.glob("*.part"))


def test_a_corrupt_upload_is_refused_with_422_and_restarts_at_zero(client: TestClient, settings: Settings,
                                                                   pairs: dict[str, Any]) -> None:
    alice = pairs["alice"]
    upload_id = _start(client, alice)["upload_id"]
    corrupt = bytearray(CONTENT)
    corrupt[5000] ^= 0xFF
    refused = _send(client, alice, upload_id, 0, bytes(corrupt))
    assert refused.status_code == 422 and refused.json()["offset"] == 0 and "损坏" in refused.json()["detail"]
    assert not (settings.blobs_dir / SHA[:2] / SHA).exists()
    assert _start(client, alice)["offset"] == 0
    assert _send(client, alice, upload_id, 0, CONTENT).json()["complete"]


def test_a_chunk_past_the_declared_size_is_refused(client: TestClient, pairs: dict[str, Any]) -> None:
    upload_id = _start(client, pairs["alice"])["upload_id"]
    assert _send(client, pairs["alice"], upload_id, 0, CONTENT + b"x").status_code == 413


def test_a_known_content_is_found_by_head_and_never_uploaded_again(client: TestClient,
                                                                    pairs: dict[str, Any]) -> None:
    headers = bearer(pairs["carol"])
    assert client.head(f"{wire.PREFIX}/blobs/{SHA}", headers=headers).status_code == 404
    _upload(client, pairs["alice"])
    head = client.head(f"{wire.PREFIX}/blobs/{SHA}", headers=headers)
    assert head.status_code == 200 and head.headers["content-length"] == str(len(CONTENT))
    assert _start(client, pairs["carol"]) == {"upload_id": "", "offset": len(CONTENT), "size": len(CONTENT),
                                              "complete": True}


def test_a_blob_is_downloaded_only_through_an_attachment_in_a_granted_scope(client: TestClient,
                                                                            pairs: dict[str, Any]) -> None:
    alice, carol = pairs["alice"], pairs["carol"]
    _upload(client, alice)
    url = f"{wire.PREFIX}/blobs/{SHA}"
    assert client.get(url, headers=bearer(alice)).status_code == 403  # no attachment names it yet
    attachment = new_id()
    result = push_one(client, alice, op("attachment", attachment, complete(
        "attachment", org_id=ORG_A, sha256=SHA, filename="签到表.jpg", size=len(CONTENT))))
    assert result["status"] == wire.APPLIED
    whole = client.get(url, headers=bearer(alice))
    assert whole.status_code == 200 and whole.content == CONTENT
    part = client.get(url, headers={**bearer(alice), "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == CONTENT[100:200]
    assert client.get(url, headers=bearer(carol)).status_code == 403


def test_a_blob_the_server_lacks_is_404_and_a_bad_hash_422(client: TestClient, pairs: dict[str, Any]) -> None:
    headers = bearer(pairs["alice"])
    assert client.get(f"{wire.PREFIX}/blobs/{'0' * 64}", headers=headers).status_code == 404
    assert client.get(f"{wire.PREFIX}/blobs/not-a-hash", headers=headers).status_code == 422
    assert client.patch(f"{wire.PREFIX}/uploads/{new_id()}", content=b"x",
                        headers={**headers, wire.OFFSET_HEADER: "0"}).status_code == 404


def test_blob_endpoints_need_a_token(client: TestClient) -> None:
    assert client.head(f"{wire.PREFIX}/blobs/{SHA}").status_code == 401
    assert client.post(f"{wire.PREFIX}/uploads", json={"sha256": SHA, "size": 1}).status_code == 401


def test_an_empty_file_is_stored_at_once(client: TestClient, pairs: dict[str, Any]) -> None:
    empty = hashlib.sha256(b"").hexdigest()
    assert _start(client, pairs["alice"], empty, 0)["complete"]
    assert client.head(f"{wire.PREFIX}/blobs/{empty}", headers=bearer(pairs["alice"])).status_code == 200


def test_a_blob_whose_file_was_lost_is_uploaded_again(client: TestClient, settings: Settings,
                                                      pairs: dict[str, Any]) -> None:
    alice = pairs["alice"]
    _upload(client, alice)
    (settings.blobs_dir / SHA[:2] / SHA).unlink()
    assert client.head(f"{wire.PREFIX}/blobs/{SHA}", headers=bearer(alice)).status_code == 404
    started = _start(client, alice)
    assert (started["offset"], started["complete"]) == (0, False)
    assert _send(client, alice, started["upload_id"], 0, CONTENT).json()["complete"]
    assert (settings.blobs_dir / SHA[:2] / SHA).read_bytes() == CONTENT


def test_a_blob_file_left_by_a_crash_before_its_row_is_taken_as_stored(client: TestClient, settings: Settings,
                                                                       pairs: dict[str, Any]) -> None:
    path = settings.blobs_dir / SHA[:2] / SHA
    path.parent.mkdir(parents=True)
    path.write_bytes(CONTENT)
    assert _start(client, pairs["alice"])["complete"]
    assert client.head(f"{wire.PREFIX}/blobs/{SHA}", headers=bearer(pairs["alice"])).status_code == 200
