"""Profiles as a whole (DESIGN §3): deleting the demo profile in one action.

Only the demo profile can be deleted here: a real profile's data is never removed by the application.
"""

from __future__ import annotations

import shutil

from app import paths
from app.services.core.errors import ServiceError


class ProfileDeleteError(ServiceError):
    """The demo profile's folder could not be removed (a file still open elsewhere, no permission)."""


def delete_demo_profile() -> bool:
    """Remove the demo profile's folder (database, backups, attachments).  Its database must be closed
    first.  Returns whether there was anything to delete.  Any thread; the write lane in the GUI."""
    folder = paths.profile_dir(paths.DEMO_PROFILE)
    if not folder.exists():
        return False
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise ProfileDeleteError(f"无法删除演示数据文件夹 {folder}：{exc.strerror or exc}。"
                                 "请关闭所有打开演示数据的窗口后再试，或手动删除该文件夹。") from exc
    return True
