"""Settings of this profile that stay on this device (never synced): the 机关代字 of each notice series,
the device tag of provisional numbers.  Key/value text; each area owns its keys (``notice.*``, ``device.*``).

A table in the profile's database rather than a file beside it: the settings travel with the data they
describe (a backup restored elsewhere numbers its notices under the same 代字), and a setting read inside a
write transaction (the device tag, while a number is allocated) is consistent with it.
"""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class LocalSetting(Base):
    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
