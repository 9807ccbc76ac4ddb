"""The district sync server (DESIGN §4): ``python -m server serve`` and ``python -m server admin …``.

Imports nothing of ``app`` except ``app.wire``, the protocol both sides share."""
