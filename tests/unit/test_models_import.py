"""app.models declares each aggregate's tables on first use, yet ``Base`` always has every table."""

from __future__ import annotations

import subprocess
import sys

import app.models as models
from app.models import SYNCED_ENTITIES, SYNCED_TABLES, Base, SyncColumns, load_all


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def test_a_name_declares_only_its_own_aggregate() -> None:
    out = _fresh("import sys\n"
                 "from app.models import SocialOrg\n"
                 "print(' '.join(sorted(m for m in sys.modules if m.startswith('app.models.'))))")
    assert out.split() == ["app.models.base", "app.models.org"]


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def test_base_sees_every_table() -> None:
    out = _fresh("from app.models import Base\nprint(' '.join(sorted(Base.metadata.tables)))")
    assert set(out.split()) >= {"social_org", "meeting", "visit", "notice", "attachment", "outbox"}
    assert set(Base.metadata.tables) >= set(SYNCED_ENTITIES)


def test_every_synced_model_is_registered() -> None:
    """Every model mixing in SyncColumns is in SYNCED_ENTITIES under its table name, and SYNCED_TABLES (which
    the outbox guard refuses bypassing writes to) names exactly those tables."""
    load_all()
    mapped = {cls for cls in _subclasses(SyncColumns) if hasattr(cls, "__table__")}
    assert mapped  # the walk found the models
    assert {cls.__tablename__: cls for cls in mapped} == SYNCED_ENTITIES  # type: ignore[attr-defined]
    assert set(SYNCED_ENTITIES) == SYNCED_TABLES
    assert all(name in Base.metadata.tables for name in SYNCED_TABLES)


def test_every_exported_name_resolves() -> None:
    for name in models.__all__:
        assert getattr(models, name) is not None
