"""The HTTP endpoints, one module per area; each defines ``router`` (mounted under app.wire.PREFIX).

server.app includes every module named in :data:`ROUTERS`, skipping none.
"""

ROUTERS = ("auth", "meta", "push", "pull", "blobs", "integrity", "checksum")
