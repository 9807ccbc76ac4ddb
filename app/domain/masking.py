"""Personal data masked for print (DESIGN §2.2: phones and ID numbers masked by default).  Pure.

Each function finds the numbers inside free text (a 联系人 field reads "王明 13800001234、0591-87654321")
and masks them where they stand, leaving everything else as written:

- 居民身份证号码 (18 characters, the last a digit or X, or the old 15 digits): the first 6 (the region) and
  the last 4 kept — ``350102********123X``;
- a mobile number (11 digits from 1[3-9]): the first 3 and the last 4 kept — ``138****1234``;
- a landline's local number (7–8 digits; the area code and an extension are not personal): the first 2
  and the last 2 kept — ``0591-87****21``.

A run of digits longer than an ID number, or shorter than 7, is not a phone or an ID and stays.
"""

from __future__ import annotations

import re

MASK = "*"
_ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID_15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LOCAL = re.compile(r"(?<!\d)(\d{2})(\d{3,4})(\d{2})(?!\d)")


def mask_id_number(text: str) -> str:
    """``text`` with every 居民身份证号码 in it masked (the first 6 and the last 4 characters kept)."""
    text = _ID_18.sub(_keep_ends, text)
    return _ID_15.sub(_keep_ends, text)


def _keep_ends(found: re.Match[str]) -> str:
    whole = found[0]
    return whole[:6] + MASK * (len(whole) - 10) + whole[-4:]


def mask_phone(text: str) -> str:
    """``text`` with every phone number in it masked: mobiles ``138****1234``, a landline's local number
    ``87****21`` (area code and extension kept).  Run it after :func:`mask_id_number` on text that may
    hold both, or use :func:`mask_personal`."""
    text = _MOBILE.sub(lambda m: m[1] + MASK * 4 + m[3], text)
    return _LOCAL.sub(lambda m: m[1] + MASK * len(m[2]) + m[3], text)


def mask_personal(text: str) -> str:
    """ID numbers, then phone numbers, masked."""
    return mask_phone(mask_id_number(text))
