"""Public names of a service area that load on first use (PEP 562).

Importing an area's package must cost nothing (a module of another area, or a writing process's keeper
loader in ``app.services``, may import it), and not every area's dependencies belong in start-up:
reportlab (documents) or the rule modules (meetings) are not needed to paint the ledger.  An area's
``__init__`` names its public names and their modules here and
keeps ``TYPE_CHECKING`` imports of them for the type checker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, public: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: each name of ``public`` is imported from its module the
    first time it is asked for, then kept in the package's namespace."""
    namespace = import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        if name not in public:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(public[name]), name)
        namespace[name] = value
        return value

    return __getattr__
