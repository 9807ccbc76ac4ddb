"""HTTP to the district server (httpx): the protocol headers, the access token, and the retry rules of
SYNC.md §8.4 — 401: refresh once and resend the same request; 429/503: wait ``Retry-After`` (capped,
cancellable) and resend; other 5xx and connection failures: exponential backoff with jitter, a few times,
then SyncError; TLS failures: CertificateError.  Timeouts are stall timeouts (no byte for 30 s), never a
limit on the whole transfer.  A 413 is the caller's to handle (the pusher halves its batch).

Runs on the sync's worker thread; ``cancel`` (a threading.Event) is checked between requests and during
every wait."""

from __future__ import annotations

import random
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from app import __version__, wire
from app.services.sync.errors import CertificateError, PasswordNeeded, SyncCancelled, SyncError

__all__ = ["STALL_SECONDS", "Transport", "body_of", "server_message"]

STALL_SECONDS = 30.0
MAX_RETRY_AFTER = 120.0  # a server asking for longer is waited for this long, then asked again
RETRIES = 4
BACKOFF_BASE = 0.5
# A 401 refreshes the access token and resends the same request; a second 401 right after a successful
# refresh (a token that died on the way: a very short lifetime, a loaded machine) gets one more.  A revoked
# device or login fails at the refresh itself, so this never loops.
MAX_REFRESHES = 2

# Refresh the tokens: returns a new access token (or raises PasswordNeeded); given by the engine.
Refresher = Callable[[], str]


def server_message(response: httpx.Response) -> str:
    """The server's own Chinese ``detail`` when it gave one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else ""


def body_of(response: httpx.Response) -> Any:
    """The JSON of an answer; SyncError when it is not JSON (a proxy's error page, a cut answer)."""
    try:
        return response.json()
    except ValueError:
        raise SyncError(f"区服务器的回答无法读取（HTTP {response.status_code}，不是预期的数据格式）。"
                        "可能是网络代理拦截了请求，请检查服务器地址后再同步。") from None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _is_certificate_problem(exc: BaseException) -> bool:
    return any(isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen) for seen in _chain(exc))


def _speaks_no_https(exc: BaseException) -> bool:
    """An https:// address of a server that answers in plain http (the TLS handshake reads an http reply)."""
    return any("WRONG_VERSION_NUMBER" in str(seen) or "wrong version number" in str(seen) for seen in _chain(exc))


# What a connection failure means to the person at the keyboard (the words of the OS's error, any language).
_NOT_FOUND = ("Name or service not known", "nodename nor servname", "getaddrinfo failed", "Errno -2", "Errno -3",
              "No address associated", "Temporary failure in name resolution", "11001")
_REFUSED = ("Connection refused", "Errno 111", "10061", "actively refused")
_CONNECT_REASONS = (
    (_NOT_FOUND, "找不到这个服务器（地址可能写错了，或没有连上网络）"),
    (_REFUSED, "服务器没有响应（地址或端口可能写错了，或服务器没有运行）"),
    (("timed out", "Timeout"), "连接超时（网络慢或服务器没有响应）"),
)


def connect_reason(exc: BaseException) -> str:
    text = " ".join(f"{type(seen).__name__} {seen}" for seen in _chain(exc))
    return next((reason for needles, reason in _CONNECT_REASONS if any(n in text for n in needles)), "网络出错")


def _trust(ca_file: str) -> ssl.SSLContext:
    """The system's trust plus the district's root certificate (根证书) from ``ca_file``."""
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(f"根证书文件 {ca_file} 读不出来（{getattr(exc, 'strerror', None) or exc}）："
                               "请重新登录，并选择区里提供的根证书文件（.pem 或 .crt）。") from None


class Transport:
    """One server, one device: ``request`` sends with the headers and retries as the module says."""

    def __init__(self, server_url: str, device_id: str, *, ca_file: str | None = None,
                 access_token: str = "", refresher: Refresher | None = None,
                 cancel: threading.Event | None = None, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self.device_id = device_id
        self.access_token = access_token
        self.refresher = refresher
        self.cancel = cancel or threading.Event()
        self._sleep = sleep
        self.client = client or httpx.Client(
            base_url=self.server_url + wire.PREFIX, verify=_trust(ca_file) if ca_file else True,
            timeout=httpx.Timeout(STALL_SECONDS, connect=STALL_SECONDS))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- waiting -----------------------------------------------------------------------------------

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise SyncCancelled()

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, waking at once on cancel."""
        if self._sleep is not None:
            self._sleep(seconds)
            self.check_cancel()
            return
        if self.cancel.wait(max(seconds, 0.0)):
            raise SyncCancelled()

    # -- sending -----------------------------------------------------------------------------------

    def _send(self, method: str, path: str, auth: bool, **kwargs: Any) -> httpx.Response:
        headers = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION), wire.DEVICE_HEADER: self.device_id,
                   "X-Client-Version": __version__, **(kwargs.pop("headers", None) or {})}
        if auth and self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        try:
            return self.client.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            if _speaks_no_https(exc):
                raise SyncError(f"服务器 {self.server_url} 不支持 https（它可能只用 http://）："
                                "请核对区里给的服务器地址。") from None
            if _is_certificate_problem(exc):
                raise CertificateError(
                    f"无法验证服务器 {self.server_url} 的证书（{exc}）。如果区里使用自签名证书，"
                    "请在登录时用“根证书”选项（命令行 --ca-file）指定区里提供的根证书文件。") from None
            raise

    def request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        """Send and return the answer (any status but those retried here); SyncError after the retries."""
        refreshes = 0
        failures = 0
        while True:
            self.check_cancel()
            try:
                response = self._send(method, path, auth, **kwargs)
            except httpx.TransportError as exc:
                failures += 1
                if failures > RETRIES:
                    raise SyncError(f"连不上区服务器 {self.server_url}：{connect_reason(exc)}。请检查网络和服务器地址后"
                                    "再试；未发送的修改都保留在本机。") from None
                self.wait(self._backoff(failures))
                continue
            status = response.status_code
            if status == 401 and auth and refreshes < MAX_REFRESHES and self.refresher is not None:
                refreshes += 1
                self.access_token = self.refresher()
                continue
            if status == 401 and auth:
                raise PasswordNeeded(server_message(response) or "登录已失效，请重新输入密码后再同步。")
            if status in (429, 503):
                failures += 1
                if failures > RETRIES * 2:
                    raise SyncError("区服务器正忙，请稍后再同步；未发送的修改都保留在本机。")
                self.wait(self._retry_after(response, failures))
                continue
            if status >= 500 and status != 501:  # 501: nothing there to wait for (failure() says so)
                failures += 1
                if failures > RETRIES:
                    raise SyncError(f"区服务器出错（HTTP {status}）：{server_message(response) or '请稍后再试'}。"
                                    "未发送的修改都保留在本机。")
                self.wait(self._backoff(failures))
                continue
            if status == 426:
                raise SyncError(server_message(response) or "本软件版本过旧，区服务器不再接受它的同步，请升级软件。")
            return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """``request`` expecting 2xx JSON; any other answer is a SyncError with the server's reason."""
        response = self.request(method, path, **kwargs)
        if response.status_code >= 300:
            raise SyncError(self.failure(response))
        return body_of(response)

    def failure(self, response: httpx.Response) -> str:
        detail = server_message(response)
        if response.status_code in (404, 405, 501) and detail in ("", "Not Found", "Method Not Allowed"):
            return (f"{self.server_url} 不是区服务器（它不认识同步请求，HTTP {response.status_code}）："
                    "请核对区里给的服务器地址。")
        if response.status_code == 403:
            return f"区服务器拒绝了这次请求：{detail or '没有权限'}。"
        return f"区服务器回答 HTTP {response.status_code}：{detail or response.reason_phrase}。"

    @staticmethod
    def _backoff(failures: int) -> float:
        return float(BACKOFF_BASE * (2 ** (failures - 1)) * (0.5 + random.random()))

    @staticmethod
    def _retry_after(response: httpx.Response, failures: int) -> float:
        value = response.headers.get("Retry-After", "")
        try:
            return min(max(float(value), 0.0), MAX_RETRY_AFTER)
        except ValueError:
            return float(min(BACKOFF_BASE * (2 ** failures), MAX_RETRY_AFTER))
