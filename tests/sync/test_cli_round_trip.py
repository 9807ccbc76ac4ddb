"""Issue 9's command-line round trip, every step a real process with its own home:

the admin imports the district's organizations and gives the same ones to two instructors; laptop A signs in,
syncs, imports a changed 台账 file and syncs again; laptop B signs in, syncs, and its exported 台账 shows A's
change.  No system keyring here (as on a server without a Secret Service): each sync gets the password on
standard input.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from app.domain.enums import OrgType
from app.services.core.database import open_database
from app.services.ledger_io.export import export_ledger
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput
from tests.sync.clients import PASSWORD, app_cli
from tests.sync.district import District
from tests.sync.harness import ServerProcess

pytestmark = pytest.mark.slow
NAMES = ("阳光社区志愿者协会", "银发互助会")


def _district_ledger(folder: Path) -> Path:
    """The district's 台账 as the workbench exports it (what ``admin import-orgs`` reads)."""
    database = open_database(folder / "seed.sqlite3")
    try:
        for name in NAMES:
            organizations.create_org(database.session_factory, OrgInput(
                name=name, org_type=OrgType.COMMUNITY_FILED, sub_district="长乐街道", address="长乐路1号"),
                actor="admin")
        path = folder / "district.xlsx"
        export_ledger(database.session_factory, path)
    finally:
        database.close()
    return path


def _changed_ledger(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["组织名称", "组织类型", "所在街道", "地址"])
        writer.writerow([NAMES[0], "社区社会组织(备案)", "长乐街道", "幸福路8号"])
    return path


def _exported_addresses(path: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if "组织名称" in row)
    name, address = header.index("组织名称"), header.index("地址")
    return {str(row[name]): str(row[address] or "") for row in rows[rows.index(header) + 1:] if row[name]}


def test_two_instructors_round_trip_a_ledger_change_through_the_cli(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "server") as server:
        district = District(server)
        try:
            for name in ("alice", "bob"):
                district.admin_cli("create-user", name, "--role", "instructor", "--password-stdin",
                                   stdin=PASSWORD + "\n")
            district.admin_cli("import-orgs", str(_district_ledger(tmp_path)))
            org_ids = [org_id for org_id, row in district.records("social_org").items() if row["data"]["name"] in NAMES]
            assert len(org_ids) == 2
            for name in ("alice", "bob"):
                district.admin_cli("assign", name, "--org", *org_ids)
        finally:
            district.close()
        laptop_a, laptop_b = tmp_path / "laptop-a", tmp_path / "laptop-b"
        password = PASSWORD + "\n"
        app_cli(laptop_a, "sign-in", "--server", server.url, "--user", "alice", "--password-stdin", stdin=password)
        app_cli(laptop_a, "sync", "--password-stdin", stdin=password)
        imported = app_cli(laptop_a, "import-ledger", str(_changed_ledger(tmp_path / "changed.csv")))
        assert "幸福路8号" in imported.stdout, "the import plan shows the change it makes"
        app_cli(laptop_a, "sync", "--password-stdin", stdin=password)
        app_cli(laptop_b, "sign-in", "--server", server.url, "--user", "bob", "--password-stdin", stdin=password)
        app_cli(laptop_b, "sync", "--password-stdin", stdin=password)
        app_cli(laptop_b, "export-ledger", str(tmp_path / "bob.xlsx"))
    assert _exported_addresses(tmp_path / "bob.xlsx") == {NAMES[0]: "幸福路8号", NAMES[1]: "长乐路1号"}
