"""Application-wide Qt set-up shared by the GUI, the self-check and the tests: icon, font and translations."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from app import APP_NAME, paths

log = logging.getLogger(__name__)
FONT_POINT_SIZE = 10
_translators: list[QTranslator] = []  # kept alive for the life of the application


def load_cjk_font(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the application font; returns its family.
    Without a CJK font Chinese renders as boxes (DESIGN §8), so this runs before any window exists."""
    font_id = QFontDatabase.addApplicationFont(str(paths.font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled CJK font not loaded from %s; falling back to system fonts", paths.font_path())
        return None
    font = QFont(families[0], FONT_POINT_SIZE)
    font.setFamilies([families[0], *QFont().families()])  # system fonts as fallback for other scripts
    app.setFont(font)
    return families[0]


def application_icon() -> QIcon:
    """The red tile with the star over an open ledger, at every size rendered (title bar, task bar, Alt+Tab)."""
    icon = QIcon()
    for path in sorted(paths.icons_dir().glob("app-*.png")):
        icon.addFile(str(path))
    if icon.isNull():
        log.warning("application icon not found in %s", paths.icons_dir())
    return icon


def install_qt_translations(app: QApplication, locale: QLocale | None = None) -> bool:
    """Qt's own zh_CN strings for standard dialogs and buttons (确定/取消…), if shipped with Qt."""
    locale = locale or QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(locale, "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True


def configure_application(app: QApplication) -> None:
    """Name, locale, font and translations; safe to call more than once."""
    if app.property("dangjian_configured"):
        return
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(application_icon())
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    load_cjk_font(app)
    install_qt_translations(app)
    app.setProperty("dangjian_configured", True)
