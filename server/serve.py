"""``python -m server serve``: migrate, say where the data is, then run the app on uvicorn."""

from __future__ import annotations

from server.config import Settings
from server.db import make_engine, upgrade

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def serve(settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run until stopped (Ctrl+C).  Migrations run first, once, in this process."""
    import uvicorn

    from app import wire
    from server.app import create_app

    engine = make_engine(settings)
    try:
        upgrade(settings, engine)
    finally:
        engine.dispose()
    print(settings.where(), flush=True)
    print(f"服务器地址（登录时填写）：http://{host}:{port}（同步接口在 {wire.PREFIX} 下；按 Ctrl+C 停止）", flush=True)
    uvicorn.run(create_app(settings, migrate=False), host=host, port=port, log_level="info")
