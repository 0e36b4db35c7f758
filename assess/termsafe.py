"""Text from files made safe to print on a terminal.

A candidate's name, an id or a norms source comes from a file someone else may have
written; printed raw, an escape sequence in it can retitle the window, clear the
screen or hide text. :func:`visible` replaces every control character (C0, DEL and
C1) with a visible ``\\xNN`` escape; :func:`visible_profile` applies it to every text
of a profile before ``assess show`` or a table prints it. (Rich markup in such text is
not interpreted either: the commands print with ``markup=False``.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assess.model import Profile

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def visible(text: str, newlines: bool = False) -> str:
    """``text`` with control characters shown as ``\\xNN`` (``newlines``: keep line feeds)."""
    pattern = _CONTROL_BUT_NEWLINE if newlines else _CONTROL
    return pattern.sub(_escape, text) if pattern.search(text) else text


def _visible_data(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value, newlines=True)
    if isinstance(value, dict):
        return {_visible_data(key): _visible_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_visible_data(item) for item in value]
    return value


def visible_profile(profile: Profile) -> Profile:
    """A copy of ``profile`` whose texts are :func:`visible` (itself when nothing changes)."""
    from assess.model import Profile  # not on import: the simulator needs only visible()

    data = profile.model_dump(mode="json", by_alias=True)
    cleaned = _visible_data(data)
    if cleaned == data:
        return profile
    cleaned["candidate"] = {
        key: visible(value) if isinstance(value, str) else value
        for key, value in cleaned["candidate"].items()
    }
    return Profile.model_validate(cleaned)
