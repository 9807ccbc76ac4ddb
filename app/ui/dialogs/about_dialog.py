"""帮助 > 关于: the version and where this profile's data lives, as text that can be selected and copied
(a user asked for the data folder reads it out to whoever helps them)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME, __version__, paths
from app.ui.context import UiContext


def about_text(ctx: UiContext) -> str:
    profile = f"{ctx.profile}（演示数据）" if ctx.is_demo else ctx.profile
    rows = (("版本", __version__), ("用户配置", profile), ("数据文件夹", str(ctx.database.path.parent)),
            ("数据库", str(ctx.database.path)), ("程序数据根目录", str(paths.home_dir())))
    cells = "".join(f"<tr><td style='padding-right:12px'>{escape(k)}</td><td>{escape(v)}</td></tr>"
                    for k, v in rows)
    return f"<h3>{escape(APP_NAME)}</h3><p>社会组织党建指导员的台账与工作记录。</p><table>{cells}</table>"


def about_box(ctx: UiContext, parent: QWidget | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle(f"关于{APP_NAME}")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(ctx))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    icon = parent.windowIcon() if parent is not None else None
    if icon is not None and not icon.isNull():
        box.setIconPixmap(icon.pixmap(64, 64))
    return box


def show_about(ctx: UiContext, parent: QWidget | None) -> None:
    about_box(ctx, parent).exec()
