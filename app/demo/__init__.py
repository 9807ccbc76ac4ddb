"""The demo-data generator: writes the ``demo`` profile only.  Imported only by the CLI
(``seed-demo``, ``self-check``) and the GUI's demo operation (an import-linter contract says so)."""
