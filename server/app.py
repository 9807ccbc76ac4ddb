"""The FastAPI application: ``create_app(settings)``.

Routers come from the modules named in server.api.ROUTERS, all under app.wire.PREFIX.  A busy SQLite
database (another process holding the write lock past the busy timeout) answers 503 with Retry-After, which
the client backs off on, instead of a 500; so does a unique key two racing requests both tried to take
(two first logins of one device on PostgreSQL): the retry finds the winner's row.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError

from app import wire
from server import api
from server.config import Settings, load_settings
from server.db import make_engine, make_sessionmaker, upgrade

TITLE = "党建指导员工作台 区服务器"
BUSY = "服务器繁忙，请稍后重试"
BUSY_RETRY_AFTER = "2"


async def _busy(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": BUSY}, status_code=503, headers={"Retry-After": BUSY_RETRY_AFTER})


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    """The server app on ``settings`` (default: from the environment).  ``migrate``: bring the database
    to the newest schema first (``serve`` has already done so and passes False)."""
    settings = settings or load_settings()
    engine = make_engine(settings)
    if migrate:
        upgrade(settings, engine)
    app = FastAPI(title=TITLE, openapi_url="/openapi.json")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(IntegrityError, _busy)

    @app.get(f"{wire.PREFIX}/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for name in api.ROUTERS:
        module = importlib.import_module(f"server.api.{name}")
        app.include_router(module.router, prefix=wire.PREFIX)
    return app
