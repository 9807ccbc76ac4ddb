"""app.models declares each aggregate's tables on first use, yet ``Base`` always has every table."""

from __future__ import annotations

import subprocess
import sys

import app.models as models
from app.models import SYNCED_ENTITIES, Base, SyncColumns


def _fresh(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=60).stdout.strip()


def test_a_name_declares_only_its_own_aggregate() -> None:
    out = _fresh("import sys\n"
                 "from app.models import SocialOrg\n"
                 "print(' '.join(sorted(m for m in sys.modules if m.startswith('app.models.'))))")
    assert out.split() == ["app.models.base", "app.models.org"]


def test_base_and_synced_entities_see_every_table() -> None:
    out = _fresh("from app.models import Base\nprint(' '.join(sorted(Base.metadata.tables)))")
    assert set(out.split()) >= {"social_org", "meeting", "visit", "notice", "attachment", "outbox"}
    assert set(Base.metadata.tables) >= set(SYNCED_ENTITIES)
    assert all(issubclass(cls, SyncColumns) and cls.__tablename__ == name for name, cls in SYNCED_ENTITIES.items())
    assert len(SYNCED_ENTITIES) == 19


def test_every_exported_name_resolves() -> None:
    for name in models.__all__:
        assert getattr(models, name) is not None
