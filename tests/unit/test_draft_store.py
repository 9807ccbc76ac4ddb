"""The draft store: one JSON file per draft, written atomically, read back whole or not at all."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import paths
from app.services.core import clock
from app.services.core.drafts import STALE_TEMP_SECONDS, Draft, DraftStore

VALUES = {"name": "鼓楼区书法协会", "org_type": "SOCIAL_GROUP", "founded_on": "2021.3", "party_clause_in_charter": True,
          "evaluation_grade": None}
BASED_ON = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def store() -> DraftStore:
    return DraftStore(paths.drafts_dir("local"))


def test_round_trip(store: DraftStore, frozen_clock: clock.FrozenClock) -> None:
    saved = store.save("org", "new", VALUES)
    assert store.load("org", "new") == saved == Draft("org", "new", VALUES, clock.now(), None)
    edit = store.save("org", "abc-123", VALUES, based_on=BASED_ON)
    assert store.load("org", "abc-123") == edit and edit.based_on == BASED_ON
    assert store.path_of("org", "new") == paths.profile_dir("local") / "drafts" / "org.new.json"
    assert {d.key for d in store.drafts("org")} == {"new", "abc-123"} and store.drafts("meeting") == []
    store.discard("org", "new")
    assert store.load("org", "new") is None and [d.key for d in store.drafts()] == ["abc-123"]
    store.discard("org", "new")  # twice: nothing to do, no error


def test_the_file_is_readable_json_with_what_the_draft_needs(store: DraftStore) -> None:
    store.save("org", "x", VALUES, based_on=BASED_ON)
    payload = json.loads(store.path_of("org", "x").read_text(encoding="utf-8"))
    assert payload["values"] == VALUES and payload["based_on"] == "2026-03-01T08:00:00+00:00"
    assert payload["kind"] == "org" and payload["key"] == "x" and payload["saved_at"]


def test_a_stale_draft_knows_it(store: DraftStore) -> None:
    draft = store.save("org", "x", VALUES, based_on=BASED_ON)
    assert not draft.stale_for(BASED_ON) and draft.stale_for(datetime(2026, 3, 2, tzinfo=UTC))
    assert not store.save("org", "new", VALUES).stale_for(BASED_ON)


def test_a_torn_write_never_replaces_a_good_draft(store: DraftStore, monkeypatch: pytest.MonkeyPatch) -> None:
    good = store.save("org", "new", VALUES)

    def torn_fsync(fd: int) -> None:  # the machine dies after half the bytes reached the temp file
        os.ftruncate(fd, 10)
        raise OSError("power cut")

    monkeypatch.setattr(os, "fsync", torn_fsync)
    with pytest.raises(OSError, match="power cut"):
        store.save("org", "new", {**VALUES, "name": "只写了一半"})
    monkeypatch.undo()
    assert store.load("org", "new") == good
    assert list(store.folder.glob("*.tmp")) == [] and list(store.folder.glob(".*")) == []


def test_a_temp_file_left_by_a_killed_writer_is_ignored_then_swept(store: DraftStore) -> None:
    good = store.save("org", "new", VALUES)
    torn = store.folder / ".org.new.json.4242.1.tmp"
    torn.write_text('{"format": 1, "values": {"na', encoding="utf-8")
    assert DraftStore(store.folder).load("org", "new") == good and torn.exists()  # a fresh temp may be in use
    old = time.time() - STALE_TEMP_SECONDS - 5  # file times are the OS's, not the district clock's
    os.utime(torn, (old, old))
    assert DraftStore(store.folder).load("org", "new") == good and not torn.exists()


@pytest.mark.parametrize("content", ["", "{", '{"format": 99, "values": {}}', '{"format": 1, "values": []}', "[]"])
def test_an_unreadable_draft_is_no_draft(store: DraftStore, content: str) -> None:
    store.path_of("org", "new").write_text(content, encoding="utf-8")
    assert store.load("org", "new") is None and store.drafts() == []


def test_keys_cannot_leave_the_folder(store: DraftStore) -> None:
    path = store.path_of("org", "../../evil")
    assert path.parent == store.folder and Path(path.name).name == path.name
