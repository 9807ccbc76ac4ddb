"""The transport's rules (SYNC.md §8.4): 429/503 wait Retry-After, 5xx and lost connections back off a few
times then fail with a Chinese line, a 401 refreshes once and resends the same request, TLS failures say
so, and cancel stops a wait."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from app import wire
from app.services.sync.errors import CertificateError, PasswordNeeded, SyncCancelled, SyncError
from app.services.sync.transport import MAX_REFRESHES, RETRIES, Transport

Handler = Callable[[httpx.Request], httpx.Response]


def _transport(handler: Handler, waits: list[float], **kwargs: object) -> Transport:
    client = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://sync.test" + wire.PREFIX)
    return Transport("http://sync.test", "device-1", client=client, sleep=waits.append, access_token="old",
                     **kwargs)  # type: ignore[arg-type]


def test_429_waits_the_stated_time_and_sends_again() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(503, headers={"Retry-After": "2"}),
               httpx.Response(200, json={"ok": True})]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    waits: list[float] = []
    assert _transport(handler, waits).json("POST", "/push", json={"ops": [1]}) == {"ok": True}
    assert waits == [7.0, 2.0]
    assert len({request.content for request in seen}) == 1  # the same body every time
    assert seen[0].headers[wire.PROTOCOL_HEADER] == "1" and seen[0].headers[wire.DEVICE_HEADER] == "device-1"
    assert seen[0].headers["Authorization"] == "Bearer old"


def test_a_long_retry_after_is_capped() -> None:
    answers = [httpx.Response(429, headers={"Retry-After": "86400"}), httpx.Response(200, json={})]
    waits: list[float] = []
    _transport(lambda _r: answers.pop(0), waits).json("GET", "/meta")
    assert waits == [120.0]


def test_server_errors_back_off_then_fail_with_a_chinese_line() -> None:
    waits: list[float] = []
    transport = _transport(lambda _r: httpx.Response(500, json={"detail": "数据库忙"}), waits)
    with pytest.raises(SyncError, match="数据库忙"):
        transport.json("GET", "/meta")
    assert len(waits) == RETRIES and waits[-1] > waits[0]  # growing waits


@pytest.mark.parametrize(("error", "says"), [
    ("[Errno 111] Connection refused", "服务器没有响应（地址或端口可能写错了，或服务器没有运行）"),
    ("[Errno -2] Name or service not known", "找不到这个服务器（地址可能写错了，或没有连上网络）"),
    ("something else", "网络出错"),
])
def test_a_lost_connection_is_retried_then_said_in_plain_words(error: str, says: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(error, request=request)

    waits: list[float] = []
    with pytest.raises(SyncError) as failure:
        _transport(handler, waits).json("GET", "/meta")
    assert str(failure.value) == (f"连不上区服务器 http://sync.test：{says}。请检查网络和服务器地址后再试；"
                                  "未发送的修改都保留在本机。")
    assert len(waits) == RETRIES and "Errno" not in str(failure.value)


def test_https_to_a_plain_http_server_is_no_certificate_problem() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("handshake", request=request) from ssl.SSLError(
            1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")

    with pytest.raises(SyncError, match="不支持 https（它可能只用 http://）") as failure:
        _transport(handler, []).json("GET", "/meta")
    assert not isinstance(failure.value, CertificateError)


@pytest.mark.parametrize("status", [404, 405, 501])
def test_an_address_that_is_no_district_server_says_so_at_once(status: int) -> None:
    waits: list[float] = []
    transport = _transport(lambda _r: httpx.Response(status, json={"detail": "Not Found"}), waits)
    with pytest.raises(SyncError, match=r"http://sync.test 不是区服务器（它不认识同步请求"):
        transport.json("POST", "/auth/login", json={})
    assert waits == []  # nothing there to wait for


def test_a_401_refreshes_once_and_resends_the_same_request() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(401 if request.headers["Authorization"] == "Bearer old" else 200, json={})

    refreshed: list[bool] = []

    def refresh() -> str:
        refreshed.append(True)
        return "new"

    _transport(handler, [], refresher=refresh).json("POST", "/push", json={})
    assert seen == ["Bearer old", "Bearer new"] and refreshed == [True]


def test_401s_after_fresh_tokens_end_in_asking_for_the_password() -> None:
    refreshed: list[bool] = []

    def refresh() -> str:
        refreshed.append(True)
        return "new"

    transport = _transport(lambda _r: httpx.Response(401, json={"detail": "设备已停用"}), [], refresher=refresh)
    with pytest.raises(PasswordNeeded, match="设备已停用"):
        transport.json("GET", "/meta")
    assert len(refreshed) == MAX_REFRESHES


def test_a_certificate_failure_mentions_the_ca_option() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("handshake", request=request) from ssl.SSLCertVerificationError(
            "CERTIFICATE_VERIFY_FAILED")

    with pytest.raises(CertificateError, match="“根证书”选项（命令行 --ca-file）"):
        _transport(handler, []).json("GET", "/meta")


def test_cancel_stops_a_wait() -> None:
    cancel = threading.Event()
    cancel.set()
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(200)), base_url="http://x")
    transport = Transport("http://x", "d", client=client, cancel=cancel)
    with pytest.raises(SyncCancelled):
        transport.wait(60)
    with pytest.raises(SyncCancelled):
        transport.request("GET", "/meta")


@pytest.mark.parametrize("content", [None, "这不是证书"])
def test_a_root_certificate_file_that_cannot_be_read_says_what_to_do(tmp_path: Path, content: str | None) -> None:
    ca_file = tmp_path / "district-ca.pem"
    if content is not None:
        ca_file.write_text(content, encoding="utf-8")
    with pytest.raises(CertificateError, match=r"根证书文件 .*district-ca\.pem 读不出来.*请重新登录"):
        Transport("https://qu.example.gov.cn", "d", ca_file=str(ca_file))
