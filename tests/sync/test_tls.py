"""HTTPS with a district's own certificate authority: a certificate the computer does not trust is refused
with a Chinese line that names the 根证书 option, and with that CA file the sign-in and a sync work (the CA
file is kept for later syncs).  The server runs on 127.0.0.1 behind uvicorn's TLS, as behind a proxy."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app import paths
from app.services.core.database import open_database
from app.services.sync import CertificateError, run_sync, sign_in
from server.app import create_app
from server.config import Settings
from server.db import claim_write, make_engine, make_sessionmaker
from server.users import create_user

pytestmark = pytest.mark.slow
PASSWORD = "correct horse 1"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """(the district CA's certificate, the server's certificate, its key): the server's for 127.0.0.1."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("区党建测试根证书")).issuer_name(_name("区党建测试根证书"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths_ = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths_[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths_[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths_[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths_


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A district server on https://127.0.0.1:<port> with one instructor (alice); yields (url, CA file)."""
    ca, cert, key = _certificates(tmp_path)
    settings = Settings(home=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 'server' / 'server.db'}")
    settings.home.mkdir(parents=True)
    app = create_app(settings)
    with make_sessionmaker(make_engine(settings))() as session:
        claim_write(session)
        create_user(session, "alice", role="instructor", password=PASSWORD, display_name="爱丽丝")
        session.commit()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           ssl_certfile=str(cert), ssl_keyfile=str(key)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the HTTPS server did not start"
        time.sleep(0.05)
    try:
        yield f"https://127.0.0.1:{port}", ca
    finally:
        server.should_exit = True
        thread.join(10)


def test_an_untrusted_certificate_is_refused_and_the_districts_ca_file_lets_it_through(
        https_server: tuple[str, Path], tmp_path: Path) -> None:
    url, ca = https_server
    with paths.temporary_home(tmp_path / "laptop"):
        with pytest.raises(CertificateError) as refused:
            sign_in(url, "alice", PASSWORD)
        assert "证书" in str(refused.value) and "根证书" in str(refused.value)
        account = sign_in(url, "alice", PASSWORD, ca_file=str(ca))
        assert account.username == "alice" and account.server_url == url
        database = open_database(paths.database_path(account.profile))
        try:
            report = run_sync(database.session_factory)  # the CA file kept at sign-in serves the sync
        finally:
            database.close()
        assert report.rejected == 0 and report.pulled >= 1  # alice's own instructor record at least
