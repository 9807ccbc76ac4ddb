"""Noticing that the network (and so the district server) is back, to sync what waited meanwhile.

Where Qt has a network-information backend with reachability (NetworkManager, glib, Windows' NLM, macOS),
its ``reachabilityChanged`` says when the computer comes online.  Where none loads, a probe of the server's
``/health`` every :data:`PROBE_INTERVAL_MS` while signed in stands in for it.  Either way ``returned`` is
emitted on the change from not reachable to reachable — not at start (nothing "returned" then), so an
app started offline syncs once the network comes, and one started online is synced by the user or the
next return.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QNetworkInformation

PROBE_INTERVAL_MS = 5 * 60 * 1000

Probe = Callable[[Callable[[bool], None]], None]  # probe(answer): answer(reachable) later, on the UI thread


class NetworkWatch(QObject):
    returned = Signal()

    def __init__(self, probe: Probe, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._probe = probe
        self._reachable: bool | None = None  # unknown until the first answer
        self.timer = QTimer(self)
        self.timer.setInterval(PROBE_INTERVAL_MS)
        self.timer.timeout.connect(self.probe_now)
        self.system: QNetworkInformation | None = None

    def start(self) -> None:
        """Follow the system's reachability where a backend loads, else probe the server periodically."""
        if QNetworkInformation.instance() is None:
            QNetworkInformation.loadDefaultBackend()
        info = QNetworkInformation.instance()
        if info is not None and info.supports(QNetworkInformation.Feature.Reachability):
            self.system = info
            self._reachable = info.reachability() == QNetworkInformation.Reachability.Online
            info.reachabilityChanged.connect(self.system_changed)
            return
        self.timer.start()
        self.probe_now()

    def stop(self) -> None:
        self.timer.stop()
        if self.system is not None:
            self.system.reachabilityChanged.disconnect(self.system_changed)
            self.system = None

    @property
    def probing(self) -> bool:
        return self.timer.isActive()

    def system_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        self.answer(reachability == QNetworkInformation.Reachability.Online)

    def probe_now(self) -> None:
        self._probe(self.answer)

    def answer(self, reachable: bool) -> None:
        """A new reachability; ``returned`` when it went from not reachable to reachable."""
        before, self._reachable = self._reachable, reachable
        if reachable and before is False:
            self.returned.emit()
