"""The FastAPI application: ``create_app(settings)``.

Routers come from the modules named in server.api.ROUTERS, all under app.wire.PREFIX.  A busy SQLite
database (another process holding the write lock past the busy timeout) answers 503 with Retry-After, which
the client backs off on, instead of a 500; so does a unique key two racing requests both tried to take
(two first logins of one device on PostgreSQL): the retry finds the winner's row.
"""

from __future__ import annotations

import importlib
import json

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
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


async def _invalid(request: Request, exc: Exception) -> Response:
    """422 as FastAPI words it, without echoing the input back (a lone surrogate in it could not be encoded,
    and the caller has it anyway), and ASCII-escaped so any text in a location or message encodes."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{key: value for key, value in error.items() if key not in ("input", "ctx", "url")} for error in errors]
    body = json.dumps({"detail": jsonable_encoder(detail)}, ensure_ascii=True)
    return Response(body, status_code=422, media_type="application/json")


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
    app.add_exception_handler(RequestValidationError, _invalid)

    @app.get(f"{wire.PREFIX}/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    for name in api.ROUTERS:
        module = importlib.import_module(f"server.api.{name}")
        app.include_router(module.router, prefix=wire.PREFIX)
    return app
